package io.wavegraph.audio.steps;

import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepCatalog;
import java.util.Map;
import java.util.function.Supplier;

/** The built-in audio transforms, by the name a graph {@code uses}. */
public final class AudioSteps implements StepCatalog {
  @Override
  public Map<String, Supplier<Step>> steps() {
    return Map.of(
        "downsample", DownsampleStep::new,
        "loudness", LoudnessStep::new,
        "tempo", TempoStep::new,
        "spectrogram", SpectrogramStep::new,
        "mel", MelStep::new,
        "mfcc", MfccStep::new,
        "separate", SeparateStep::new);
  }
}
