package io.wavegraph.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.spectral.Npy;
import io.wavegraph.audio.spectral.SpectrogramImage;
import io.wavegraph.audio.steps.SpectralSettings;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options and the run shared by {@code audio spectrogram|mel|mfcc}. The options become step
 * parameters, so the CLI checks and computes exactly what the steps do.
 */
final class AudioSpectral {
  private AudioSpectral() {}

  /** Input, outputs and framing: every spectral subcommand has these. */
  static final class Frames {
    @Parameters(index = "0", paramLabel = "IN") Path in;
    @Parameters(index = "1", paramLabel = "OUT.npy") Path out;
    @Option(names = "--json", description = "One JSON object on stdout: shape and parameters.") boolean json;
    @Option(names = "--sr", paramLabel = "HZ", description = "Analysis rate (default 22050; 0 keeps the file's rate).") Integer sr;
    @Option(names = "--n-fft", paramLabel = "N", description = "FFT and frame length, a power of two (default 2048).") Integer nFft;
    @Option(names = "--hop", paramLabel = "N", description = "Samples between frames (default 512).") Integer hop;
    @Option(names = "--center", negatable = true, description = "Centre frames on t*hop, padding n_fft/2 (default; --no-center starts them there).") Boolean center;
    @Option(names = "--pad-mode", paramLabel = "MODE", description = "constant (zeros, default) or reflect.") String padMode;

    void put(Map<String, Object> p) {
      p.put("sr", sr);
      p.put("n_fft", nFft);
      p.put("hop", hop);
      p.put("center", center);
      p.put("pad_mode", padMode);
    }
  }

  /** The mel filterbank. */
  static final class Mel {
    @Option(names = "--n-mels", paramLabel = "N", description = "Mel bands (default 128).") Integer nMels;
    @Option(names = "--fmin", paramLabel = "HZ", description = "Lowest band edge (default 0).") Double fmin;
    @Option(names = "--fmax", paramLabel = "HZ", description = "Highest band edge (default sr/2).") Double fmax;
    @Option(names = "--htk", description = "HTK mel scale instead of Slaney's.") Boolean htk;
    @Option(names = "--norm", paramLabel = "NORM", description = "slaney (unit-area filters, default) or none.") String norm;

    void put(Map<String, Object> p) {
      p.put("n_mels", nMels);
      p.put("fmin", fmin);
      p.put("fmax", fmax);
      p.put("htk", htk);
      p.put("norm", norm);
    }
  }

  /** Computes the feature, writes the .npy (and the PNG when asked) and reports. */
  static int run(SpectralSettings.Feature feature, Frames f, Map<String, Object> params, Path png, String title, PrintWriter out)
      throws Exception {
    SpectralSettings settings;
    try {
      Map<String, Object> given = new LinkedHashMap<>();
      params.forEach((k, v) -> {
        if (v != null) given.put(k, v);
      });
      settings = SpectralSettings.read(new Params(given), feature);
    } catch (BadParameterException e) {
      throw new Main.UsageException("--" + e.parameter().replace('_', '-') + " " + e.getMessage());
    }
    long started = System.nanoTime();
    SpectralSettings.Result r;
    double seconds;
    try (AudioSource s = AudioDecoders.open(f.in)) {
      seconds = s.frames() < 0 ? Double.NaN : (double) s.frames() / s.sampleRate();
      r = settings.compute(s, f.in.toString());
    }
    double computeSeconds = (System.nanoTime() - started) / 1e9;
    Npy.write(f.out, r.values());
    if (png != null) {
      SpectrogramImage.write(png, settings.imageDb(r.values()), settings.axis(r.sampleRate()),
          (double) settings.stft().hop() / r.sampleRate(),
          title + " of " + f.in.getFileName() + " (" + settings.summary(r.sampleRate()) + ")",
          SpectrogramImage.Options.DEFAULT);
    }
    if (f.json) {
      ObjectNode o = AudioJson.object();
      o.put("feature", feature.name().toLowerCase(Locale.ROOT));
      o.putArray("shape").add(r.values().rows()).add(r.values().cols());
      o.put("dtype", "float32");
      o.put("npy", f.out.toString());
      if (png != null) o.put("png", png.toString());
      AudioJson.put(o, "duration_seconds", seconds);
      AudioJson.put(o, "compute_seconds", computeSeconds);
      o.set("params", AudioJson.MAPPER.valueToTree(settings.describe(r.sampleRate())));
      AudioJson.print(out, o);
    } else {
      out.printf("%s: %s [%d x %d] float32 (%s)%s%n", f.out, feature.name().toLowerCase(Locale.ROOT), r.values().rows(),
          r.values().cols(), settings.summary(r.sampleRate()), png == null ? "" : ", image " + png);
      out.flush();
    }
    return Main.OK;
  }
}
