package io.wavegraph.cli;

import io.wavegraph.audio.steps.SpectralSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "mfcc", description = "Writes MFCCs [n_mfcc, frames] (orthonormal DCT-II of the mel spectrogram in dB) as .npy.")
final class AudioMfccCommand implements Callable<Integer> {
  @Mixin AudioSpectral.Frames frames;
  @Mixin AudioSpectral.Mel mel;
  @Option(names = "--n-mfcc", paramLabel = "N", description = "Coefficients (default 20).") Integer nMfcc;
  @Option(names = "--top-db", paramLabel = "DB", description = "Dynamic range kept before the DCT (default 80).") Double topDb;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> p = new LinkedHashMap<>();
    frames.put(p);
    mel.put(p);
    p.put("n_mfcc", nMfcc);
    p.put("top_db", topDb);
    return AudioSpectral.run(SpectralSettings.Feature.MFCC, frames, p, null, "MFCC", spec.commandLine().getOut());
  }
}
