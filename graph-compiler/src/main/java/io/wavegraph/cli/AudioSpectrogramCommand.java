package io.wavegraph.cli;

import io.wavegraph.audio.steps.SpectralSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "spectrogram", description = "Writes the STFT power (or magnitude) spectrogram [n_fft/2+1, frames] as .npy, and optionally a PNG.")
final class AudioSpectrogramCommand implements Callable<Integer> {
  @Mixin AudioSpectral.Frames frames;
  @Option(names = "--png", paramLabel = "OUT.png", description = "Also draw the spectrogram in dB.") Path png;
  @Option(names = "--power", paramLabel = "P", description = "2: power (default), 1: magnitude.") Integer power;
  @Option(names = "--db", description = "Write power_to_db values (top_db 80) instead of linear ones.") Boolean db;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> p = new LinkedHashMap<>();
    frames.put(p);
    p.put("power", power);
    p.put("db", db);
    return AudioSpectral.run(SpectralSettings.Feature.SPECTROGRAM, frames, p, png, "Spectrogram", spec.commandLine().getOut());
  }
}
