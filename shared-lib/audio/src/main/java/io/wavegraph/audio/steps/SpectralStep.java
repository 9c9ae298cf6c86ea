package io.wavegraph.audio.steps;

import io.wavegraph.audio.AudioFormatException;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.spectral.Npy;
import io.wavegraph.audio.spectral.SpectrogramImage;
import io.wavegraph.core.step.BadInputException;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.Step;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.util.List;

/**
 * What the spectral steps share: read the parameters ({@link SpectralSettings}), decode the input
 * to mono at {@code sr}, write the feature matrix as {@code npy} (float32, librosa's shape) and,
 * where declared, a {@code png} rendering in dB.
 */
abstract class SpectralStep implements Step {
  private final SpectralSettings.Feature feature;
  private final boolean image;
  private final String title;
  private SpectralSettings settings;

  SpectralStep(SpectralSettings.Feature feature, boolean image, String title) {
    this.feature = feature;
    this.image = image;
    this.title = title;
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<String> outputs() {
    return image ? List.of("npy", "png") : List.of("npy");
  }

  @Override
  public void configure(Params params) throws BadParameterException {
    settings = SpectralSettings.read(params, feature);
  }

  @Override
  public void process(StepInput in, StepOutput out) throws Exception {
    String name = in.name();
    SpectralSettings.Result r;
    try (AudioSource source = Decoding.open(in.file(), name)) {
      r = settings.compute(source, name);
    } catch (AudioFormatException e) {
      throw new BadInputException(name + ": " + e.problem(), e);
    }
    Npy.write(out.file("npy"), r.values());
    if (image) {
      SpectrogramImage.write(
          out.file("png"),
          settings.imageDb(r.values()),
          settings.axis(r.sampleRate()),
          (double) settings.stft().hop() / r.sampleRate(),
          title + " of " + name + " (" + settings.summary(r.sampleRate()) + ")",
          SpectrogramImage.Options.DEFAULT);
    }
  }
}
