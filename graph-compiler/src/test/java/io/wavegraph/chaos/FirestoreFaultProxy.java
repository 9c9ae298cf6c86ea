package io.wavegraph.chaos;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A gRPC proxy on 127.0.0.1 in front of the Firestore emulator that can refuse calls with the
 * errors Firestore gives under trouble ({@code UNAVAILABLE}, {@code RESOURCE_EXHAUSTED}, the
 * gRPC form of 429): the emulator cannot make them. Every call is passed through as opaque bytes
 * (any method, streaming included) unless {@link #faults}' rule refuses it before it reaches the
 * emulator, so a refused call changed nothing. Point clients at {@link #host()}.
 */
final class FirestoreFaultProxy implements AutoCloseable {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final ManagedChannel upstream;
  private final Server server;
  private volatile Function<String, Status> faults = m -> null;
  private final AtomicLong refused = new AtomicLong();

  FirestoreFaultProxy(String emulatorHost) throws IOException {
    upstream = ManagedChannelBuilder.forTarget(emulatorHost).usePlaintext().build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .fallbackHandlerRegistry(new HandlerRegistry() {
          @Override
          public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
            MethodDescriptor<byte[], byte[]> md = MethodDescriptor.newBuilder(BYTES, BYTES)
                .setFullMethodName(method).setType(MethodDescriptor.MethodType.UNKNOWN).build();
            return ServerMethodDefinition.create(md, new Forward(md));
          }
        }).build().start();
  }

  /** {@code host:port} for {@code FIRESTORE_EMULATOR_HOST}. */
  String host() {
    return "127.0.0.1:" + server.getPort();
  }

  /** For each call (its full method name), the status to refuse it with, or null to pass it. */
  void faults(Function<String, Status> rule) {
    this.faults = rule;
  }

  long refused() {
    return refused.get();
  }

  private final class Forward implements ServerCallHandler<byte[], byte[]> {
    private final MethodDescriptor<byte[], byte[]> method;

    Forward(MethodDescriptor<byte[], byte[]> method) {
      this.method = method;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata headers) {
      Status fault = faults.apply(method.getFullMethodName());
      if (fault != null) {
        refused.incrementAndGet();
        call.close(fault.withDescription("injected by the chaos suite"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      ClientCall<byte[], byte[]> out = upstream.newCall(method, CallOptions.DEFAULT);
      out.start(new ClientCall.Listener<>() {
        @Override
        public void onHeaders(Metadata h) {
          synchronized (call) {
            call.sendHeaders(h);
          }
        }

        @Override
        public void onMessage(byte[] message) {
          synchronized (call) {
            call.sendMessage(message);
          }
          out.request(1);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          synchronized (call) {
            call.close(status, trailers);
          }
        }
      }, headers);
      out.request(1);
      call.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(byte[] message) {
          out.sendMessage(message);
          synchronized (call) {
            call.request(1);
          }
        }

        @Override
        public void onHalfClose() {
          out.halfClose();
        }

        @Override
        public void onCancel() {
          out.cancel("the client cancelled", null);
        }
      };
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    upstream.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
