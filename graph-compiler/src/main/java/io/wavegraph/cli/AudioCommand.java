package io.wavegraph.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.LoudnessMeter;
import io.wavegraph.audio.LoudnessResult;
import io.wavegraph.audio.Resampler;
import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The audio library on single files, for checks against the reference tools and for test data. */
@Command(
    name = "audio",
    description = "Audio tools: resample, loudness, info, synth.",
    subcommands = {
      AudioCommand.Resample.class,
      AudioCommand.Loudness.class,
      AudioCommand.Info.class,
      AudioCommand.Synth.class
    })
final class AudioCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Command(name = "resample", description = "Resamples IN to RATE and writes OUT as WAV (float32 by default).")
  static final class Resample implements Callable<Integer> {
    @Parameters(index = "0") Path in;
    @Parameters(index = "1") Path out;
    @Parameters(index = "2") int rate;

    @Option(names = "--format", defaultValue = "float32", description = "pcm16, pcm24 or float32")
    String format;

    @Option(names = "--quality", defaultValue = "very_high", description = "fast, high or very_high")
    String quality;

    @Override
    public Integer call() throws Exception {
      SampleFormat f = switch (format) {
        case "pcm16" -> SampleFormat.PCM_16;
        case "pcm24" -> SampleFormat.PCM_24;
        case "float32" -> SampleFormat.FLOAT_32;
        default -> throw new Main.UsageException("--format must be pcm16, pcm24 or float32");
      };
      Resampler.Quality q = Resampler.Quality.valueOf(quality.toUpperCase(Locale.ROOT));
      try (AudioSource s = AudioDecoders.open(in); WavWriter w = WavWriter.create(out, rate, s.channels(), f)) {
        Resampler.resample(s, w, q);
      }
      return Main.OK;
    }
  }

  @Command(name = "loudness", description = "Prints the EBU R128 loudness of a file as one JSON object.")
  static final class Loudness implements Callable<Integer> {
    @Parameters(index = "0") Path in;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (AudioSource s = AudioDecoders.open(in)) {
        LoudnessMeter meter = new LoudnessMeter(s.sampleRate(), s.channels());
        float[] buf = new float[8192 * s.channels()];
        int n;
        while ((n = s.read(buf, 8192)) > 0) meter.add(buf, n);
        LoudnessResult r = meter.result();
        ObjectNode o = JSON.createObjectNode();
        put(o, "integrated_lufs", r.integratedLufs());
        put(o, "range_lu", r.loudnessRangeLu());
        put(o, "true_peak_dbtp", r.truePeakDbtp());
        put(o, "momentary_max_lufs", r.momentaryMaxLufs());
        put(o, "short_term_max_lufs", r.shortTermMaxLufs());
        put(o, "sample_peak_dbfs", r.samplePeakDbfs());
        spec.commandLine().getOut().println(JSON.writeValueAsString(o));
        spec.commandLine().getOut().flush();
      }
      return Main.OK;
    }

    private static void put(ObjectNode o, String k, double v) {
      if (Double.isFinite(v)) o.put(k, v);
      else o.putNull(k);
    }
  }

  @Command(name = "info", description = "Prints a file's format: rate, channels, bits, frames, seconds.")
  static final class Info implements Callable<Integer> {
    @Parameters(index = "0") Path in;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (AudioSource s = AudioDecoders.open(in)) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sample_rate", s.sampleRate());
        o.put("channels", s.channels());
        o.put("bits", s.bitsPerSample());
        o.put("frames", s.frames());
        if (s.frames() >= 0) o.put("seconds", (double) s.frames() / s.sampleRate());
        spec.commandLine().getOut().println(JSON.writeValueAsString(o));
        spec.commandLine().getOut().flush();
      }
      return Main.OK;
    }
  }

  @Command(name = "synth", description = "Writes N distinct synthetic music-like tracks (16-bit stereo WAV) into DIR, for trying and benchmarking.")
  static final class Synth implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR") Path dir;

    @Option(names = "--items", defaultValue = "50") int items;
    @Option(names = "--seconds", defaultValue = "30") double seconds;
    @Option(names = "--rate", defaultValue = "44100") int rate;

    @Override
    public Integer call() throws Exception {
      Files.createDirectories(dir);
      for (int i = 0; i < items; i++) {
        try (WavWriter w = WavWriter.create(dir.resolve(String.format("item-%04d.wav", i)), rate, 2, SampleFormat.PCM_16)) {
          SynthTrack.write(w, rate, seconds, i);
        }
      }
      return Main.OK;
    }
  }
}
