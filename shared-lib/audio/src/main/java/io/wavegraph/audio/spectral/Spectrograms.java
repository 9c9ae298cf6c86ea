package io.wavegraph.audio.spectral;

import io.wavegraph.audio.AudioSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The spectral features, computed as librosa computes them (with the parameters of {@link
 * StftParams} and {@link MelFilterbank}), streaming over the audio so that only the output matrix is
 * held in memory:
 *
 * <ul>
 *   <li>{@link #stft}: {@code |STFT|^power}, shape {@code [nFft/2 + 1, frames]} (librosa's {@code
 *       np.abs(stft(y)) ** power});
 *   <li>{@link #mel}: the mel power spectrogram, shape {@code [nMels, frames]} ({@code
 *       feature.melspectrogram}, power 2);
 *   <li>{@link #mfcc}: DCT-II (orthonormal) of the mel spectrogram in dB, shape {@code [nMfcc,
 *       frames]} ({@code feature.mfcc}, {@code dct_type=2, norm='ortho', lifter=0}).
 * </ul>
 */
public final class Spectrograms {
  private Spectrograms() {}

  /** {@code |STFT|^power} of {@code source} mixed to mono at {@code rate} (0: the source's rate). */
  public static FloatMatrix stft(AudioSource source, int rate, StftParams params, double power) throws IOException {
    Columns c = new Columns(params.bins(), magnitudePower(power));
    Stft stft = new Stft(params, c);
    MonoFeed.feed(source, rate, stft::push);
    stft.finish();
    return c.matrix();
  }

  /** {@code |STFT|^power} of a mono signal held in memory. */
  public static FloatMatrix stft(float[] mono, StftParams params, double power) {
    Columns c = new Columns(params.bins(), magnitudePower(power));
    Stft stft = new Stft(params, c);
    stft.push(mono, mono.length);
    stft.finish();
    return c.matrix();
  }

  /** Mel power spectrogram of {@code source} at the filterbank's rate. */
  public static FloatMatrix mel(AudioSource source, StftParams params, MelFilterbank bank) throws IOException {
    Columns c = new Columns(bank.mels(), melPower(params, bank));
    Stft stft = new Stft(params, c);
    MonoFeed.feed(source, bank.sampleRate(), stft::push);
    stft.finish();
    return c.matrix();
  }

  /** Mel power spectrogram of a mono signal (at the filterbank's rate) held in memory. */
  public static FloatMatrix mel(float[] mono, StftParams params, MelFilterbank bank) {
    Columns c = new Columns(bank.mels(), melPower(params, bank));
    Stft stft = new Stft(params, c);
    stft.push(mono, mono.length);
    stft.finish();
    return c.matrix();
  }

  /**
   * MFCCs of a mel power spectrogram: {@code dct(power_to_db(mel, top_db=topDb), type=2,
   * norm='ortho')[:nMfcc]}.
   */
  public static FloatMatrix mfcc(FloatMatrix melPower, int nMfcc, double topDb) {
    FloatMatrix db = Decibels.powerToDb(melPower, 1.0, Decibels.AMIN, topDb);
    return new Dct(melPower.rows(), nMfcc).applyToColumns(db);
  }

  /** Turns one frame's half spectrum into one output column. */
  private interface ColumnMaker {
    void column(double[] re, double[] im, float[] out);
  }

  private static ColumnMaker magnitudePower(double power) {
    if (!(power > 0)) throw new IllegalArgumentException("power must be positive, got " + power);
    return (re, im, out) -> {
      for (int k = 0; k < out.length; k++) {
        double p = re[k] * re[k] + im[k] * im[k];
        out[k] = (float) (power == 2 ? p : power == 1 ? Math.sqrt(p) : Math.pow(p, power / 2));
      }
    };
  }

  private static ColumnMaker melPower(StftParams params, MelFilterbank bank) {
    if (bank.bins() != params.bins()) {
      throw new IllegalArgumentException("filterbank is for " + bank.bins() + " bins, STFT gives " + params.bins());
    }
    double[] power = new double[params.bins()];
    return (re, im, out) -> {
      for (int k = 0; k < power.length; k++) power[k] = re[k] * re[k] + im[k] * im[k];
      bank.apply(power, out, 0);
    };
  }

  private static final class Columns implements Stft.FrameSink {
    private final int rows;
    private final ColumnMaker maker;
    private final List<float[]> columns = new ArrayList<>();

    Columns(int rows, ColumnMaker maker) {
      this.rows = rows;
      this.maker = maker;
    }

    @Override
    public void frame(long index, double[] re, double[] im) {
      float[] col = new float[rows];
      maker.column(re, im, col);
      columns.add(col);
    }

    FloatMatrix matrix() {
      return FloatMatrix.fromColumns(rows, columns);
    }
  }
}
