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

@Command(name = "mel", description = "Writes the mel power spectrogram [n_mels, frames] as .npy, and optionally a PNG.")
final class AudioMelCommand implements Callable<Integer> {
  @Mixin AudioSpectral.Frames frames;
  @Mixin AudioSpectral.Mel mel;
  @Option(names = "--png", paramLabel = "OUT.png", description = "Also draw the mel spectrogram in dB.") Path png;
  @Option(names = "--db", description = "Write power_to_db values (top_db 80) instead of linear ones.") Boolean db;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> p = new LinkedHashMap<>();
    frames.put(p);
    mel.put(p);
    p.put("db", db);
    return AudioSpectral.run(SpectralSettings.Feature.MEL, frames, p, png, "Mel spectrogram", spec.commandLine().getOut());
  }
}
