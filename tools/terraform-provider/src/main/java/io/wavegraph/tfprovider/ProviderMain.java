package io.wavegraph.tfprovider;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.stub.StreamObserver;
import io.wavegraph.tfprovider.goplugin.GRPCControllerGrpc;
import io.wavegraph.tfprovider.goplugin.GoPluginController.Empty;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point Terraform launches as {@code terraform-provider-google}: go-plugin's handshake (magic
 * cookie, protocol version, automatic mutual TLS, the handshake line on stdout), then the tfplugin6
 * Provider service and go-plugin's controller on one gRPC server bound to 127.0.0.1.
 */
public final class ProviderMain {
  // go-plugin's handshake config for Terraform providers (terraform/internal/plugin6/serve.go).
  private static final String MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
  private static final String MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
  private static final int CORE_PROTOCOL = 1;
  private static final int PROVIDER_PROTOCOL = 6;

  private ProviderMain() {}

  public static void main(String[] args) throws Exception {
    if (!MAGIC_COOKIE_VALUE.equals(System.getenv(MAGIC_COOKIE_KEY))) {
      System.err.println("This binary is a plugin. These are not meant to be executed directly.\n"
          + "It is Wavegraph's offline stand-in for the hashicorp/google Terraform provider; Terraform starts it.");
      System.exit(1);
    }
    String versions = System.getenv().getOrDefault("PLUGIN_PROTOCOL_VERSIONS", String.valueOf(PROVIDER_PROTOCOL));
    if (Arrays.stream(versions.split(",")).map(String::trim).noneMatch(v -> v.equals(String.valueOf(PROVIDER_PROTOCOL)))) {
      System.err.println("stand-in google provider: speaks plugin protocol 6 only; Terraform offers " + versions);
      System.exit(1);
    }
    String clientPem = System.getenv("PLUGIN_CLIENT_CERT");
    if (clientPem == null || clientPem.isBlank()) {
      System.err.println("stand-in google provider: PLUGIN_CLIENT_CERT is not set; Terraform always sets it (automatic mutual TLS)");
      System.exit(1);
    }
    // The schema loads while TLS and the server start.
    CompletableFuture<SchemaModel> schema = CompletableFuture.supplyAsync(() -> {
      try {
        return SchemaModel.load();
      } catch (Exception e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    });
    PrintStream stdout = System.out;
    System.setOut(System.err); // only the handshake line may reach Terraform's stdout reader

    PluginTls tls = PluginTls.selfSigned();
    SslContextBuilder ssl = SslContextBuilder.forServer(tls.key.getPrivate(), tls.certificate)
        .trustManager(PluginTls.clientCertificate(clientPem))
        .clientAuth(ClientAuth.REQUIRE);
    CountDownLatch shutdown = new CountDownLatch(1);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        // The JDK's TLS, not BoringSSL: Terraform's client certificate is ECDSA P-521, whose signatures
        // BoringSSL does not offer to verify, so the client would send no certificate at all.
        .sslContext(GrpcSslContexts.configure(ssl, SslProvider.JDK).build())
        .maxInboundMessageSize(256 << 20)
        .addService(new ProviderService(schema))
        .addService(new GRPCControllerGrpc.GRPCControllerImplBase() {
          @Override
          public void shutdown(Empty req, StreamObserver<Empty> out) {
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
            shutdown.countDown();
          }
        })
        .build()
        .start();
    int port = server.getPort();
    stdout.printf("%d|%d|tcp|127.0.0.1:%d|grpc|%s%n", CORE_PROTOCOL, PROVIDER_PROTOCOL, port, tls.handshakeCertificate());
    stdout.flush();
    shutdown.await();
    server.shutdown();
    // Let the Shutdown reply leave before the process ends; Terraform waits for the exit.
    server.awaitTermination(500, java.util.concurrent.TimeUnit.MILLISECONDS);
    System.exit(0);
  }
}
