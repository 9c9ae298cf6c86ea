package io.wavegraph.audio.separation.gpu;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads {@code libwavegraph_separation_gpu.so} once, on first use, and asks it for a device. The
 * library is taken from the system property {@value #PROPERTY} or the environment variable
 * {@value #ENV} (a path), else from {@code java.library.path}. Whatever goes wrong is kept as a
 * reason for the error message, never thrown from here.
 */
final class CudaLibrary {
  static final String PROPERTY = "wavegraph.gpu.library";
  static final String ENV = "WAVEGRAPH_GPU_LIBRARY";
  static final String NAME = "wavegraph_separation_gpu";

  /** The device, or why there is none: exactly one is non-null. */
  record Status(String device, String problem) {
    boolean available() {
      return device != null;
    }
  }

  private CudaLibrary() {}

  private static final class Holder {
    static final Status STATUS = load();
  }

  static Status status() {
    return Holder.STATUS;
  }

  /** @throws IllegalStateException when the library or the device is missing, saying which */
  static void require() {
    Status s = status();
    if (!s.available()) throw new IllegalStateException("gpu separation kernels cannot run here: " + s.problem());
  }

  private static Status load() {
    String how = "lib" + NAME + ".so";
    try {
      String path = System.getProperty(PROPERTY);
      String from = "system property " + PROPERTY;
      if (path == null || path.isBlank()) {
        path = System.getenv(ENV);
        from = "environment variable " + ENV;
      }
      if (path != null && !path.isBlank()) {
        how = path + " (from " + from + ")";
        if (!Files.isRegularFile(Path.of(path))) return new Status(null, "the native library " + how + " does not exist" + hint());
        System.load(Path.of(path).toAbsolutePath().toString());
      } else {
        how = "lib" + NAME + ".so on java.library.path";
        System.loadLibrary(NAME);
      }
    } catch (UnsatisfiedLinkError | SecurityException e) {
      return new Status(null, "the native library " + how + " cannot be loaded: " + e.getMessage() + hint());
    }
    String device;
    try {
      device = GpuSeparationKernels.cudaDevice();
    } catch (UnsatisfiedLinkError e) {
      return new Status(null, "the native library " + how + " is not the separation kernels': " + e.getMessage());
    }
    if (device.startsWith("error: ")) return new Status(null, "no CUDA device answers (" + device.substring(7) + ")");
    return new Status(device, null);
  }

  private static String hint() {
    return "; build it with shared-lib/audio-gpu/build-native.sh and point -D" + PROPERTY + " or " + ENV + " at it";
  }
}
