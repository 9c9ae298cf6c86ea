package io.wavegraph.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Hosts {@link HttpFunction}s on 127.0.0.1 with the JDK's HTTP server, one path each, as the
 * Functions Framework invoker would (which binds 0.0.0.0 and brings its own Jetty and Jackson):
 * the request body and headers go in; the status code, headers and body come out; an exception
 * from the function answers 500, like the invoker.
 */
final class LoopbackFunctionHost implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  LoopbackFunctionHost() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.start();
  }

  /** Serves {@code fn} at {@code /path}; returns its URL. */
  String host(String path, HttpFunction fn) {
    server.createContext("/" + path, exchange -> serve(fn, exchange));
    return url(path);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
  }

  private static void serve(HttpFunction fn, HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Response res = new Response();
    try {
      fn.service(new Request(exchange, body), res);
    } catch (Exception e) {
      res.status = 500;
      res.body.reset();
    }
    res.headers.forEach((k, v) -> v.forEach(x -> exchange.getResponseHeaders().add(k, x)));
    if (res.writer != null) res.writer.flush();
    byte[] out = res.body.toByteArray();
    exchange.sendResponseHeaders(res.status, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private record Request(HttpExchange exchange, byte[] body) implements HttpRequest {
    @Override
    public String getMethod() {
      return exchange.getRequestMethod();
    }

    @Override
    public String getUri() {
      return exchange.getRequestURI().toString();
    }

    @Override
    public String getPath() {
      return exchange.getRequestURI().getPath();
    }

    @Override
    public Optional<String> getQuery() {
      return Optional.ofNullable(exchange.getRequestURI().getRawQuery());
    }

    @Override
    public Map<String, List<String>> getQueryParameters() {
      return Map.of();
    }

    @Override
    public Map<String, HttpPart> getParts() {
      throw new IllegalStateException("not a multipart request");
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"));
    }

    @Override
    public long getContentLength() {
      return body.length;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.empty();
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return exchange.getRequestHeaders();
    }
  }

  private static final class Response implements HttpResponse {
    int status = 200;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private BufferedWriter writer;

    @Override
    public void setStatusCode(int code) {
      status = code;
    }

    @Override
    public void setStatusCode(int code, String message) {
      status = code;
    }

    @Override
    public void setContentType(String type) {
      headers.put("Content-Type", List.of(type));
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(headers.get("Content-Type")).map(l -> l.get(0));
    }

    @Override
    public void appendHeader(String name, String value) {
      headers.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }

    @Override
    public OutputStream getOutputStream() {
      return body;
    }

    @Override
    public BufferedWriter getWriter() {
      if (writer == null) writer = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
      return writer;
    }
  }
}
