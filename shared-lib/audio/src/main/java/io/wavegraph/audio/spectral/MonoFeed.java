package io.wavegraph.audio.spectral;

import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.ChannelMixer;
import io.wavegraph.audio.Resampler;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Reads an {@link AudioSource} block by block, averages its channels to mono and resamples to the
 * analysis rate, as librosa's {@code load(sr=..., mono=True)} does. Resampling uses {@link
 * Resampler.Quality#HIGH} (flat to 0.9 of the lower Nyquist, about 120 dB stop band), already 40 dB
 * below the 80 dB range that the features keep. Holds one block, never the whole signal.
 */
public final class MonoFeed {
  private static final int BLOCK = 8192;

  /** Receives mono samples; the array is reused for the next block. */
  @FunctionalInterface
  public interface Sink {
    void push(float[] samples, int n);
  }

  private MonoFeed() {}

  /**
   * Feeds all of {@code source} to {@code sink} at {@code rate} (the source's own rate when 0).
   * Does not close the source.
   *
   * @return the number of mono samples fed
   * @throws InterruptedIOException when the thread is interrupted between blocks
   */
  public static long feed(AudioSource source, int rate, Sink sink) throws IOException {
    int target = rate == 0 ? source.sampleRate() : rate;
    ChannelMixer mixer = ChannelMixer.create(source.channels(), 1);
    Resampler resampler = Resampler.create(source.sampleRate(), target, 1, Resampler.Quality.HIGH);
    float[] decoded = new float[BLOCK * source.channels()];
    float[] mono = new float[BLOCK];
    float[] resampled = new float[resampler.maxOutputFrames(BLOCK)];
    long fed = 0;
    int n;
    while ((n = source.read(decoded, BLOCK)) > 0) {
      mixer.mix(decoded, n, mono);
      int m = resampler.process(mono, n, resampled);
      sink.push(resampled, m);
      fed += m;
      if (Thread.interrupted()) throw new InterruptedIOException("interrupted");
    }
    int m;
    while ((m = resampler.flush(resampled)) > 0) {
      sink.push(resampled, m);
      fed += m;
    }
    return fed;
  }
}
