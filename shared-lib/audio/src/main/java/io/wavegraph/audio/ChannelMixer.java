package io.wavegraph.audio;

/**
 * Converts interleaved audio between channel counts with a fixed gain matrix:
 *
 * <ul>
 *   <li>same count: the identity ({@link #isIdentity()}; callers may skip the mix altogether);
 *   <li>N to 1: the average of all channels (LFE included);
 *   <li>1 to N: the mono signal copied to every channel;
 *   <li>6 (5.1 as L R C LFE Ls Rs) to 2: ITU-R BS.775 downmix {@code L + 0.7071 C + 0.7071 Ls},
 *       {@code R + 0.7071 C + 0.7071 Rs}, LFE dropped. The result is not normalised, so loud
 *       material can exceed [-1, 1]; nothing here clips.
 * </ul>
 *
 * Any other pair is rejected with {@link IllegalArgumentException} at {@link #create}.
 */
public final class ChannelMixer {
  private static final double MINUS_3DB = Math.sqrt(0.5);

  private final int in;
  private final int out;
  private final float[][] gains; // [out][in]

  private ChannelMixer(int in, int out, float[][] gains) {
    this.in = in;
    this.out = out;
    this.gains = gains;
  }

  public static ChannelMixer create(int inChannels, int outChannels) {
    if (inChannels <= 0 || outChannels <= 0) {
      throw new IllegalArgumentException("channel counts must be positive: " + inChannels + " -> " + outChannels);
    }
    float[][] g = new float[outChannels][inChannels];
    if (inChannels == outChannels) {
      for (int i = 0; i < inChannels; i++) {
        g[i][i] = 1f;
      }
    } else if (outChannels == 1) {
      for (int i = 0; i < inChannels; i++) {
        g[0][i] = 1f / inChannels;
      }
    } else if (inChannels == 1) {
      for (int o = 0; o < outChannels; o++) {
        g[o][0] = 1f;
      }
    } else if (inChannels == 6 && outChannels == 2) {
      float c = (float) MINUS_3DB;
      g[0] = new float[] {1f, 0f, c, 0f, c, 0f};
      g[1] = new float[] {0f, 1f, c, 0f, 0f, c};
    } else {
      throw new IllegalArgumentException(
          "no channel mapping from " + inChannels + " to " + outChannels
              + " channels (supported: same count, N->1, 1->N, 6->2)");
    }
    return new ChannelMixer(inChannels, outChannels, g);
  }

  public int inChannels() {
    return in;
  }

  public int outChannels() {
    return out;
  }

  /** True when the mix is the identity (same channel count): the output equals the input. */
  public boolean isIdentity() {
    return in == out;
  }

  /** Mixes {@code frames} frames; {@code output} must not be {@code input} and needs frames x outChannels floats. */
  public void mix(float[] input, int frames, float[] output) {
    if (in == out) {
      System.arraycopy(input, 0, output, 0, frames * in);
      return;
    }
    for (int f = 0; f < frames; f++) {
      int ib = f * in;
      int ob = f * out;
      for (int o = 0; o < out; o++) {
        float[] row = gains[o];
        float sum = 0f;
        for (int i = 0; i < in; i++) {
          sum += row[i] * input[ib + i];
        }
        output[ob + o] = sum;
      }
    }
  }
}
