package io.wavegraph.audio.steps;

import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.ChannelMixer;
import io.wavegraph.audio.Resampler;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.TpdfDither;
import io.wavegraph.audio.WavWriter;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.util.List;
import java.util.Locale;

/**
 * {@code downsample}: converts any decodable audio to a WAV at a target rate and channel count,
 * band-limited (polyphase windowed-sinc), streaming block by block.
 *
 * <p>Parameters: {@code rate} (Hz, default 16000), {@code channels} (default 1), {@code format}
 * ({@code pcm16} default, {@code pcm24}, {@code float32}), {@code quality} ({@code very_high}
 * default, {@code high}, {@code fast}), {@code dither} (TPDF for integer formats, default true,
 * seeded per item so a redo writes the same bytes). Output: {@code wav}.
 */
public final class DownsampleStep implements Step {
  private static final int BLOCK = 8192;
  private int rate;
  private int channels;
  private SampleFormat format;
  private Resampler.Quality quality;
  private boolean dither;

  @Override
  public String version() {
    return "2";
  }

  @Override
  public List<String> outputs() {
    return List.of("wav");
  }

  @Override
  public void configure(Params p) throws BadParameterException {
    rate = p.getInt("rate", 16000, 1000, 384000);
    channels = p.getInt("channels", 1, 1, 8);
    format = switch (p.getChoice("format", "pcm16", List.of("pcm16", "pcm24", "float32"))) {
      case "pcm24" -> SampleFormat.PCM_24;
      case "float32" -> SampleFormat.FLOAT_32;
      default -> SampleFormat.PCM_16;
    };
    quality = Resampler.Quality.valueOf(
        p.getChoice("quality", "very_high", List.of("fast", "high", "very_high")).toUpperCase(Locale.ROOT));
    dither = p.getBoolean("dither", true) && !format.isFloatingPoint();
  }

  @Override
  public void process(StepInput in, StepOutput out) throws Exception {
    String name = in.name();
    try (AudioSource source = Decoding.open(in.file(), name)) {
      ChannelMixer mixer = mixer(source.channels(), name);
      Resampler resampler = Resampler.create(source.sampleRate(), rate, channels, quality);
      float[] decoded = new float[BLOCK * source.channels()];
      // Same channel count: the decoded block goes straight to the resampler, with no copy.
      float[] mixed = mixer.isIdentity() ? decoded : new float[BLOCK * channels];
      float[] resampled = new float[resampler.maxOutputFrames(BLOCK) * channels];
      // Seeded by the item, so a redo of the same item writes the same bytes.
      TpdfDither tpdf = dither ? new TpdfDither(format.bitsPerSample(), in.item().hashCode()) : null;
      try (WavWriter writer = WavWriter.create(out.file("wav"), rate, channels, format)) {
        int n;
        while ((n = Decoding.read(source, decoded, BLOCK, name)) > 0) {
          if (mixed != decoded) mixer.mix(decoded, n, mixed);
          // Equal rates: the resampler would only copy; write the block itself.
          float[] ready = resampler.isIdentity() ? mixed : resampled;
          int m = ready == mixed ? n : resampler.process(mixed, n, resampled);
          if (tpdf != null) tpdf.apply(ready, m * channels);
          writer.write(ready, m);
          if (Thread.interrupted()) throw new InterruptedException("downsample of " + name + " interrupted");
        }
        int m;
        while ((m = resampler.flush(resampled)) > 0) {
          if (tpdf != null) tpdf.apply(resampled, m * channels);
          writer.write(resampled, m);
        }
      }
    }
  }

  private ChannelMixer mixer(int from, String name) throws io.wavegraph.core.step.BadInputException {
    try {
      return ChannelMixer.create(from, channels);
    } catch (IllegalArgumentException e) {
      throw new io.wavegraph.core.step.BadInputException(name + ": cannot mix " + from + " channels to " + channels + ": " + e.getMessage());
    }
  }
}
