package io.wavegraph.cli;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.Resampler;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.TpdfDither;
import io.wavegraph.audio.WavWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resample", description = "Resamples IN to --rate and writes OUT as WAV (16-bit with TPDF dither by default).")
final class AudioResampleCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path in;
  @Parameters(index = "1", paramLabel = "OUT") Path out;

  @Option(names = "--rate", required = true, paramLabel = "HZ") int rate;

  @Option(names = "--format", defaultValue = "s16", description = "s16 (default), s24 or f32")
  String format;

  @Option(names = "--quality", defaultValue = "very_high", description = "very_high (default), high or fast")
  String quality;

  @Option(names = "--no-dither", description = "Round s16/s24 output without TPDF dither.")
  boolean noDither;

  @Override
  public Integer call() throws Exception {
    SampleFormat f = switch (format) {
      case "s16", "pcm16" -> SampleFormat.PCM_16;
      case "s24", "pcm24" -> SampleFormat.PCM_24;
      case "f32", "float32" -> SampleFormat.FLOAT_32;
      default -> throw new Main.UsageException("--format must be s16, s24 or f32, got '" + format + "'");
    };
    Resampler.Quality q;
    try {
      q = Resampler.Quality.valueOf(quality.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException("--quality must be very_high, high or fast, got '" + quality + "'");
    }
    if (rate < 1000 || rate > 384000) throw new Main.UsageException("--rate must be between 1000 and 384000 Hz");
    try (AudioSource s = AudioDecoders.open(in); WavWriter w = WavWriter.create(out, rate, s.channels(), f)) {
      TpdfDither dither = f.isFloatingPoint() || noDither ? null : new TpdfDither(f.bitsPerSample(), 0x5eed);
      Resampler.resample(s, w, q, dither);
    }
    return Main.OK;
  }
}
