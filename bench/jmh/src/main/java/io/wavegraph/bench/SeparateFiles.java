package io.wavegraph.bench;

import io.wavegraph.audio.AudioDecoders;
import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.steps.SeparateStep;
import io.wavegraph.core.step.Params;
import io.wavegraph.core.step.StepInput;
import io.wavegraph.core.step.StepOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code separate} step on audio files, outside a graph, and times it: for each file,
 * writes {@code <out>/<name>.<stem>.wav} and prints {@code file=<name> audio_s=<..>
 * first_s=<..> warm_s=<..>}: the first run in this JVM (JIT still warming, JVM start excluded)
 * and the best of the later {@code --runs}. Used by {@code bench/separation-quality.sh}.
 *
 * <p>Usage: {@code SeparateFiles [--runs N] [--param name=value]... OUT_DIR FILE...}; a value that
 * parses as a number is passed as one.
 */
public final class SeparateFiles {
  private SeparateFiles() {}

  public static void main(String[] args) throws Exception {
    int runs = 1;
    Map<String, Object> params = new LinkedHashMap<>();
    int a = 0;
    for (; a < args.length && args[a].startsWith("--"); a += 2) {
      if (args[a].equals("--runs")) {
        runs = Integer.parseInt(args[a + 1]);
      } else if (args[a].equals("--param")) {
        String[] kv = args[a + 1].split("=", 2);
        params.put(kv[0], Params.valueOf(kv[1]));
      } else {
        throw new IllegalArgumentException("unknown option " + args[a]);
      }
    }
    Path out = Files.createDirectories(Path.of(args[a++]));
    SeparateStep step = new SeparateStep();
    Params p = new Params(params);
    step.configure(p);
    if (!p.unread().isEmpty()) throw new IllegalArgumentException("unknown parameters " + p.unread());
    List<String> outputs = step.outputs();
    for (; a < args.length; a++) {
      Path file = Path.of(args[a]);
      String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      double seconds;
      try (AudioSource s = AudioDecoders.open(file)) {
        seconds = (double) s.frames() / s.sampleRate();
      }
      StepInput in = StepInput.ofFile(file);
      StepOutput o = stem -> {
        if (!outputs.contains(stem)) throw new IllegalArgumentException("undeclared output " + stem);
        return out.resolve(name + "." + stem);
      };
      long t0 = System.nanoTime();
      step.process(in, o);
      double first = (System.nanoTime() - t0) / 1e9;
      double warm = Double.NaN;
      for (int r = 1; r < runs; r++) {
        long t = System.nanoTime();
        step.process(in, o);
        double s = (System.nanoTime() - t) / 1e9;
        warm = Double.isNaN(warm) ? s : Math.min(warm, s);
      }
      System.out.printf("file=%s audio_s=%.3f first_s=%.3f warm_s=%.3f%n", name, seconds, first, warm);
    }
  }
}
