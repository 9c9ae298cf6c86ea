package io.wavegraph.cli;

import io.wavegraph.audio.SampleFormat;
import io.wavegraph.audio.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "synth", description = "Writes N distinct synthetic music-like tracks (16-bit stereo WAV) into DIR, for trying and benchmarking.")
final class AudioSynthCommand implements Callable<Integer> {
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
