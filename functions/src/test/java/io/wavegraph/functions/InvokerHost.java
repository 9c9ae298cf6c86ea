package io.wavegraph.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Hosts one {@link HttpFunction} the way the Functions Framework invoker 2.0.0 does ({@code
 * com.google.cloud.functions.invoker.runner.Invoker#startServer}): a Jetty 12 {@link Server} whose
 * handler is the invoker's own {@link HttpFunctionExecutor} (so the HTTP to {@code
 * HttpRequest}/{@code HttpResponse} translation, and "an exception answers 500", are the real
 * framework's), behind the same handlers the invoker puts in front of it (its eager multipart
 * handler; its private {@code NotFoundHandler}, 404 for /favicon.ico and /robots.txt) and an
 * error handler that writes no body; no {@code TimeoutHandler} (only with CLOUD_RUN_TIMEOUT_SECONDS).
 * The one difference: the connector binds 127.0.0.1, where the invoker binds 0.0.0.0 and has no
 * host option.
 *
 * <p>{@link #main} is a fresh instance process, as Cloud Run starts one: the function class is
 * made by {@link HttpFunctionExecutor#forClass} (its no-arg constructor, which reads {@code
 * WAVEGRAPH_CONFIG} from the environment); it prints {@code LISTENING <port>} and serves until its
 * standard input closes.
 */
final class InvokerHost implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  private InvokerHost(Handler executor) throws Exception {
    this(executor, 0);
  }

  private InvokerHost(Handler executor, int port) throws Exception {
    server = new Server(new QueuedThreadPool(32, 2));
    server.setErrorHandler(new ErrorHandler() {
      @Override
      protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
          Callback callback) {
        callback.succeeded(); // as the invoker: no error body
      }
    });
    connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(executor);
    MultiPartConfig config = new MultiPartConfig.Builder().maxMemoryPartSize(-1).build();
    server.insertHandler(new EagerContentHandler(new EagerContentHandler.MultiPartContentLoaderFactory(config)));
    server.insertHandler(invokerPrivate("com.google.cloud.functions.invoker.runner.Invoker$NotFoundHandler"));
    server.start();
  }

  /** An instance of one of the invoker's private handler classes (no-arg constructor). */
  private static Handler.Wrapper invokerPrivate(String className) throws ReflectiveOperationException {
    Constructor<?> c = Class.forName(className).getDeclaredConstructor();
    c.setAccessible(true);
    return (Handler.Wrapper) c.newInstance();
  }

  /** Hosts an instance the test made (with its own runtime), through the invoker's executor. */
  static InvokerHost of(HttpFunction fn) throws Exception {
    return of(fn, 0);
  }

  /** As {@link #of(HttpFunction)}, on a given port (0: any free one). */
  static InvokerHost of(HttpFunction fn, int port) throws Exception {
    // HttpFunctionExecutor only offers forClass (no-arg constructor, environment config); its
    // constructor taking the instance is private.
    Constructor<HttpFunctionExecutor> c = HttpFunctionExecutor.class.getDeclaredConstructor(HttpFunction.class);
    c.setAccessible(true);
    return new InvokerHost(c.newInstance(fn), port);
  }

  /** Hosts {@code functionClass} exactly as the invoker's {@code --target} does. */
  static InvokerHost forClass(Class<?> functionClass) throws Exception {
    return new InvokerHost(HttpFunctionExecutor.forClass(functionClass));
  }

  String url() {
    return "http://127.0.0.1:" + connector.getLocalPort() + "/";
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  /** {@code InvokerHost <function class>}: one instance process; stops when stdin closes. */
  public static void main(String[] args) throws Exception {
    try (InvokerHost host = forClass(Class.forName(args[0]))) {
      System.out.println("LISTENING " + host.port());
      System.out.flush();
      try {
        while (System.in.read() >= 0) {
          // serve until the parent closes our stdin
        }
      } catch (IOException ignored) {
        // parent gone
      }
    }
    System.exit(0);
  }
}
