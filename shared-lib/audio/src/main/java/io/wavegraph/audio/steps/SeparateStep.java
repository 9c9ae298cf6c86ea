package io.wavegraph.audio.steps;

import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import io.wavegraph.audio.separation.Hpss;
import io.wavegraph.audio.separation.Mixture;
import io.wavegraph.audio.separation.RepetSim;
import io.wavegraph.audio.separation.SeparationKernels;
import io.wavegraph.core.step.BadInputException;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepContext;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code separate}: splits a track into stems by signal processing alone (no trained model), at
 * the file's rate and channel count. {@code hpss} gives {@code harmonic.wav} and {@code
 * percussive.wav} by median filtering ({@link Hpss}); {@code repet-sim} gives {@code vocals.wav}
 * and {@code accompaniment.wav} from repetition ({@link RepetSim}); {@code both} (the default)
 * gives all four, each pair separated from the mixture independently. Each pair sums back to the
 * mixture.
 *
 * <p>Parameters: {@code method} ({@code both}, {@code hpss}, {@code repet-sim}); {@code fft}
 * (2048, a power of two) and {@code hop} (fft/4, at most fft/2); for hpss {@code harmonic_kernel}
 * (frames, 17, odd), {@code percussive_kernel} (bins, 17, odd), {@code power} (mask power, 2); for
 * repet-sim {@code max_repeats} (100), {@code min_similarity} (0), {@code min_distance} (seconds,
 * 1), {@code highpass} (Hz, 100); {@code max_seconds} (600: REPET-SIM's cost grows with the
 * square of the duration, so a longer track fails the item instead of running for hours); {@code
 * kernels} ({@code cpu}, or an installed {@link SeparationKernels.Provider}); {@code format}
 * ({@code float32} default, {@code pcm24}, {@code pcm16}).
 *
 * <p>A heavy step: the whole track is held in memory, and the work is parallel over the cores.
 */
public final class SeparateStep implements Step {
  private String method;
  private int fft;
  private int hop;
  private Hpss hpss;
  private RepetSim repetSim;
  private double maxSeconds;
  private String kernelsName;
  private SeparationKernels kernels;
  private SampleFormat format;

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<String> outputs() {
    List<String> out = new ArrayList<>();
    if (hpss != null) out.addAll(List.of("harmonic.wav", "percussive.wav"));
    if (repetSim != null) out.addAll(List.of("vocals.wav", "accompaniment.wav"));
    return out;
  }

  @Override
  public void configure(Params p) throws BadParameterException {
    method = p.getChoice("method", "both", List.of("both", "hpss", "repet-sim"));
    fft = p.getInt("fft", 2048, 64, 32768);
    if (Integer.bitCount(fft) != 1) throw new BadParameterException("fft", "must be a power of two, got " + fft);
    hop = p.getInt("hop", fft / 4, 1, fft / 2);
    if (!method.equals("repet-sim")) {
      int harmonic = odd(p, "harmonic_kernel");
      int percussive = odd(p, "percussive_kernel");
      float power = (float) p.getDouble("power", 2, 0.1, 16);
      hpss = new Hpss(new Hpss.Settings(harmonic, percussive, power));
    }
    if (!method.equals("hpss")) {
      RepetSim.Settings d = RepetSim.Settings.DEFAULT;
      repetSim = new RepetSim(new RepetSim.Settings(
          p.getInt("max_repeats", d.maxRepeats(), 1, 1000),
          (float) p.getDouble("min_similarity", d.minSimilarity(), 0, 1),
          p.getDouble("min_distance", d.minDistanceSeconds(), 0, 60),
          p.getDouble("highpass", d.highpassHz(), 0, 20000)));
    }
    maxSeconds = p.getDouble("max_seconds", 600, 1, 86400);
    // Installed is enough here; whether it can run (a device is present) is checked in open().
    List<String> known = SeparationKernels.installed();
    kernelsName = p.getString("kernels", "cpu");
    if (!known.contains(kernelsName)) {
      throw new BadParameterException("kernels", "must be one of " + String.join(", ", known) + ", got '"
          + kernelsName + "'" + (kernelsName.equals("gpu") ? " (no GPU separation kernels are installed)" : ""));
    }
    format = switch (p.getChoice("format", "float32", List.of("float32", "pcm24", "pcm16"))) {
      case "pcm24" -> SampleFormat.PCM_24;
      case "pcm16" -> SampleFormat.PCM_16;
      default -> SampleFormat.FLOAT_32;
    };
  }

  private static int odd(Params p, String name) throws BadParameterException {
    int k = p.getInt(name, 17, 1, 255);
    if (k % 2 == 0) throw new BadParameterException(name, "must be odd, got " + k);
    return k;
  }

  /**
   * Chooses the kernels.
   *
   * @throws IllegalArgumentException when the chosen kernels cannot run on this machine
   */
  @Override
  public void open(StepContext context) {
    kernels = SeparationKernels.named(kernelsName);
  }

  @Override
  public void process(StepInput in, StepOutput out) throws Exception {
    if (kernels == null) kernels = SeparationKernels.named(kernelsName);
    String name = in.name();
    Decoded audio = decode(in.file(), name);
    if (audio.samples == 0) throw new BadInputException(name + ": no audio to separate");
    if (audio.samples > maxSeconds * audio.rate) {
      throw new BadInputException(name + ": " + Math.round(audio.samples / (double) audio.rate) + " s is longer than max_seconds ("
          + maxSeconds + ")");
    }
    Mixture mix = Mixture.analyse(kernels, audio.channels, audio.samples, audio.rate, fft, hop);
    if (hpss != null) {
      float[][][] stems = hpss.separate(mix);
      interruptible(name);
      write(out.file("harmonic.wav"), stems[0], audio);
      write(out.file("percussive.wav"), stems[1], audio);
    }
    if (repetSim != null) {
      interruptible(name);
      float[][][] stems = repetSim.separate(mix);
      write(out.file("vocals.wav"), stems[1], audio);
      write(out.file("accompaniment.wav"), stems[0], audio);
    }
  }

  private static void interruptible(String name) throws InterruptedException {
    if (Thread.interrupted()) throw new InterruptedException("separation of " + name + " interrupted");
  }

  /** The whole track, one array per channel. */
  private record Decoded(float[][] channels, int samples, int rate) {}

  private static Decoded decode(Path file, String name) throws IOException, BadInputException, InterruptedException {
    try (AudioSource source = Decoding.open(file, name)) {
      int channels = source.channels();
      long declared = source.frames();
      float[][] data = new float[channels][(int) Math.max(1 << 16, Math.min(declared, Integer.MAX_VALUE - 8))];
      int[] n = {0};
      Decoding.readAll(source, name, (block, frames) -> {
        if (n[0] + (long) frames > Integer.MAX_VALUE - 8) throw new IllegalStateException(name + ": too long to separate");
        if (n[0] + frames > data[0].length) {
          for (int c = 0; c < channels; c++) data[c] = Arrays.copyOf(data[c], (int) Math.min(Integer.MAX_VALUE - 8L, 2L * (n[0] + frames)));
        }
        for (int c = 0; c < channels; c++) {
          float[] d = data[c];
          for (int i = 0; i < frames; i++) d[n[0] + i] = block[i * channels + c];
        }
        n[0] += frames;
      });
      return new Decoded(data, n[0], source.sampleRate());
    }
  }

  private void write(Path file, float[][] stem, Decoded audio) throws IOException {
    int channels = stem.length;
    int block = 8192;
    float[] interleaved = new float[block * channels];
    try (WavWriter w = WavWriter.create(file, audio.rate, channels, format)) {
      for (int start = 0; start < audio.samples; start += block) {
        int frames = Math.min(block, audio.samples - start);
        for (int i = 0; i < frames; i++) {
          for (int c = 0; c < channels; c++) interleaved[i * channels + c] = stem[c][start + i];
        }
        w.write(interleaved, frames);
      }
    }
  }
}
