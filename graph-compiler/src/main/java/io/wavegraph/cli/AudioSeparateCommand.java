package io.wavegraph.cli;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.steps.SeparateStep;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.StepInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "separate",
    description = "Splits IN into stems (harmonic/percussive by median filtering, vocals/accompaniment by REPET-SIM), "
        + "written as OUT_DIR/<name>.<stem>.wav: the separate step on one file.")
final class AudioSeparateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path in;
  @Parameters(index = "1", paramLabel = "OUT_DIR") Path outDir;
  @Option(names = "--method", defaultValue = "both", description = "both, hpss or repet-sim (default: ${DEFAULT-VALUE}).")
  String method;
  @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
      description = "Any other parameter of the separate step (fft, hop, harmonic_kernel, ..., see docs/separation.md).")
  Map<String, String> params = new LinkedHashMap<>();
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("method", method);
    params.forEach((k, v) -> values.put(k, Params.valueOf(v)));
    SeparateStep step = new SeparateStep();
    Params p = new Params(values);
    try {
      step.configure(p);
    } catch (BadParameterException e) {
      throw new Main.UsageException(e.parameter() == null ? e.getMessage() : "separate parameter '" + e.parameter() + "': " + e.getMessage());
    }
    if (!p.unread().isEmpty()) throw new Main.UsageException("unknown parameter(s) of separate: " + p.unread());
    double seconds;
    try (AudioSource s = AudioDecoders.open(in)) {
      seconds = (double) s.frames() / s.sampleRate();
    }
    Files.createDirectories(outDir);
    String name = in.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    List<String> stems = step.outputs();
    long t0 = System.nanoTime();
    step.process(StepInput.ofFile(in), stem -> outDir.resolve(name + "." + stem));
    double took = (System.nanoTime() - t0) / 1e9;
    var out = spec.commandLine().getOut();
    for (String stem : stems) out.println(outDir.resolve(name + "." + stem));
    out.printf("%.1f s of audio in %.2f s (%.1fx real time)%n", seconds, took, seconds / took);
    out.flush();
    return Main.OK;
  }
}
