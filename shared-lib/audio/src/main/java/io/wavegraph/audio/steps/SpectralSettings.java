package io.wavegraph.audio.steps;

import io.wavegraph.audio.AudioSource;
import io.wavegraph.audio.spectral.Decibels;
import io.wavegraph.audio.spectral.FloatMatrix;
import io.wavegraph.audio.spectral.FrequencyAxis;
import io.wavegraph.audio.spectral.MelFilterbank;
import io.wavegraph.audio.spectral.MelScale;
import io.wavegraph.audio.spectral.PadMode;
import io.wavegraph.audio.spectral.Spectrograms;
import io.wavegraph.audio.spectral.StftParams;
import io.wavegraph.core.step.BadInputException;
import io.wavegraph.core.step.BadParameterException;
import io.wavegraph.core.step.Params;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of the spectral features, read and checked once for the {@code spectrogram},
 * {@code mel} and {@code mfcc} steps and for the CLI, with librosa's names and defaults:
 *
 * <ul>
 *   <li>all: {@code sr} (22050; 0 keeps the file's rate), {@code n_fft} (2048, a power of two),
 *       {@code hop} (512), {@code window} ({@code hann}), {@code center} (true), {@code pad_mode}
 *       ({@code constant}, or {@code reflect});
 *   <li>{@code spectrogram}: {@code power} (2: power, 1: magnitude), {@code db} (false);
 *   <li>{@code mel} and {@code mfcc}: {@code n_mels} (128), {@code fmin} (0), {@code fmax} (sr/2),
 *       {@code htk} (false: Slaney scale), {@code norm} ({@code slaney} or {@code none}); {@code
 *       mel} also {@code db} (false);
 *   <li>{@code mfcc}: {@code n_mfcc} (20), {@code top_db} (80).
 * </ul>
 */
public final class SpectralSettings {
  /** Which matrix is computed. */
  public enum Feature {
    SPECTROGRAM,
    MEL,
    MFCC
  }

  private final Feature feature;
  private final int rate;
  private final StftParams stft;
  private final double power;
  private final boolean db;
  private final int nMels;
  private final double fmin;
  private final double fmax; // NaN: sr / 2
  private final MelScale scale;
  private final boolean slaneyNorm;
  private final int nMfcc;
  private final double topDb;
  // A filterbank depends only on the settings and the rate: made once per rate, shared by items.
  private final java.util.concurrent.ConcurrentHashMap<Integer, MelFilterbank> filterbanks =
      new java.util.concurrent.ConcurrentHashMap<>();

  private SpectralSettings(Feature feature, Params p) throws BadParameterException {
    this.feature = feature;
    rate = p.getInt("sr", 22050, 0, 384000);
    if (rate != 0 && rate < 1000) throw new BadParameterException("sr", "must be 0 (the file's rate) or between 1000 and 384000, got " + rate);
    int nFft = p.getInt("n_fft", 2048, 16, 65536);
    if (Integer.bitCount(nFft) != 1) throw new BadParameterException("n_fft", "must be a power of two, got " + nFft);
    int hop = p.getInt("hop", 512, 1, 65536);
    p.getChoice("window", "hann", List.of("hann"));
    boolean center = p.getBoolean("center", true);
    PadMode pad = PadMode.valueOf(p.getChoice("pad_mode", "constant", List.of("constant", "reflect")).toUpperCase(Locale.ROOT));
    stft = new StftParams(nFft, hop, center, pad);
    boolean mel = feature != Feature.SPECTROGRAM;
    power = feature == Feature.SPECTROGRAM ? p.getInt("power", 2, 1, 2) : 2;
    db = feature != Feature.MFCC && p.getBoolean("db", false);
    nMels = mel ? p.getInt("n_mels", 128, 1, 1024) : 0;
    fmin = mel ? p.getDouble("fmin", 0, 0, 192000) : 0;
    fmax = mel && p.has("fmax") ? p.getDouble("fmax", 0, 1, 192000) : Double.NaN;
    if (!Double.isNaN(fmax) && fmax <= fmin) throw new BadParameterException("fmax", "must be above fmin (" + fmin + "), got " + fmax);
    if (rate != 0 && mel) {
      double top = Double.isNaN(fmax) ? rate / 2.0 : fmax;
      if (top > rate / 2.0) throw new BadParameterException("fmax", "must be at most sr/2 = " + rate / 2.0 + ", got " + fmax);
      if (fmin >= top) throw new BadParameterException("fmin", "must be below fmax (" + top + "), got " + fmin);
    }
    scale = mel && p.getBoolean("htk", false) ? MelScale.HTK : MelScale.SLANEY;
    slaneyNorm = !mel || p.getChoice("norm", "slaney", List.of("slaney", "none")).equals("slaney");
    nMfcc = feature == Feature.MFCC ? p.getInt("n_mfcc", 20, 1, nMels) : 0;
    topDb = feature == Feature.MFCC ? p.getDouble("top_db", Decibels.TOP_DB, 1, 1000) : Decibels.TOP_DB;
  }

  /** Reads the parameters of {@code feature}; every other parameter stays unread (and is reported as unknown). */
  public static SpectralSettings read(Params p, Feature feature) throws BadParameterException {
    return new SpectralSettings(feature, p);
  }

  /** A computed feature matrix and the rate it was computed at. */
  public record Result(FloatMatrix values, int sampleRate) {}

  /**
   * Computes the feature of {@code source} (not closed).
   *
   * @throws BadInputException when {@code fmax} is above the Nyquist frequency of the file's own rate
   */
  public Result compute(AudioSource source, String name) throws IOException, BadInputException {
    int sr = rate == 0 ? source.sampleRate() : rate;
    FloatMatrix m;
    if (feature == Feature.SPECTROGRAM) {
      m = Spectrograms.stft(source, sr, stft, power);
    } else {
      double top = Double.isNaN(fmax) ? sr / 2.0 : fmax;
      if (top > sr / 2.0 || fmin >= top) {
        throw new BadInputException(name + ": mel band " + fmin + ".." + top + " Hz does not fit the file's rate " + sr + " Hz");
      }
      m = Spectrograms.mel(source, stft, filterbank(sr));
      if (feature == Feature.MFCC) m = Spectrograms.mfcc(m, nMfcc, topDb);
    }
    if (db) m = toDb(m);
    return new Result(m, sr);
  }

  /** The filterbank at rate {@code sr}. */
  public MelFilterbank filterbank(int sr) {
    return filterbanks.computeIfAbsent(sr, this::designFilterbank);
  }

  private MelFilterbank designFilterbank(int sr) {
    return MelFilterbank.create(sr, stft.nFft(), nMels, fmin, Double.isNaN(fmax) ? sr / 2.0 : fmax, scale, slaneyNorm);
  }

  /**
   * The values in dB relative to the loudest cell (librosa's {@code ref=np.max}), floored 80 dB
   * below it, for drawing.
   */
  public FloatMatrix imageDb(FloatMatrix values) {
    if (feature == Feature.MFCC) throw new IllegalStateException("MFCCs are not drawn as a spectrogram");
    FloatMatrix m = db ? values : toDb(values);
    float max = m.max();
    float[] d = new float[m.data().length];
    for (int i = 0; i < d.length; i++) d[i] = m.data()[i] - max;
    return new FloatMatrix(m.rows(), m.cols(), d);
  }

  private FloatMatrix toDb(FloatMatrix m) {
    if (power == 1) {
      // amplitude_to_db: power_to_db of the squared magnitude
      float[] sq = new float[m.data().length];
      for (int i = 0; i < sq.length; i++) sq[i] = m.data()[i] * m.data()[i];
      m = new FloatMatrix(m.rows(), m.cols(), sq);
    }
    return Decibels.powerToDb(m);
  }

  /** The row axis of the drawn matrix at rate {@code sr}. */
  public FrequencyAxis axis(int sr) {
    if (feature == Feature.SPECTROGRAM) return new FrequencyAxis.Linear(sr, stft.nFft());
    return new FrequencyAxis.Mel(scale, fmin, Double.isNaN(fmax) ? sr / 2.0 : fmax, nMels);
  }

  public StftParams stft() {
    return stft;
  }

  public Feature feature() {
    return feature;
  }

  /** A one-line description for an image title, e.g. {@code sr 22050 Hz, n_fft 2048, hop 512, 128 mels}. */
  public String summary(int sr) {
    String s = "sr " + sr + " Hz, n_fft " + stft.nFft() + ", hop " + stft.hop();
    return switch (feature) {
      case SPECTROGRAM -> s;
      case MEL -> s + ", " + nMels + " mels" + (scale == MelScale.HTK ? " (HTK)" : "");
      case MFCC -> s + ", " + nMels + " mels, " + nMfcc + " MFCCs";
    };
  }

  /** The effective parameters at rate {@code sr}, by their parameter names. */
  public Map<String, Object> describe(int sr) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sr", sr);
    m.put("n_fft", stft.nFft());
    m.put("hop", stft.hop());
    m.put("window", "hann");
    m.put("center", stft.center());
    m.put("pad_mode", stft.padMode().name().toLowerCase(Locale.ROOT));
    if (feature == Feature.SPECTROGRAM) m.put("power", (int) power);
    if (feature != Feature.SPECTROGRAM) {
      m.put("n_mels", nMels);
      m.put("fmin", fmin);
      m.put("fmax", Double.isNaN(fmax) ? sr / 2.0 : fmax);
      m.put("htk", scale == MelScale.HTK);
      m.put("norm", slaneyNorm ? "slaney" : "none");
    }
    if (feature == Feature.MFCC) {
      m.put("n_mfcc", nMfcc);
      m.put("top_db", topDb);
    } else {
      m.put("db", db);
    }
    return m;
  }
}
