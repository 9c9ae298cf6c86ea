package io.wavegraph.audio.spectral;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a spectrogram in dB as a PNG a person can read: the {@link ColorMap#MAGMA} heat map, time
 * in seconds along the bottom, frequency in Hz up the side (evenly spaced for STFT bins, mel-spaced
 * with octave ticks for mel bands), a dB colour bar and a title. The colour range is the top
 * {@code dbRange} dB below the loudest cell (labelled "re max" when that cell is 0 dB). Frame
 * {@code t} is drawn over {@code [t, t+1)} frame durations. Rendering is headless (no display needed) and deterministic for the same input.
 */
public final class SpectrogramImage {
  static {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  /** Image size and colour range. */
  public record Options(int width, int height, double dbRange) {
    public static final Options DEFAULT = new Options(1200, 600, 80);

    public Options {
      if (width < 300 || height < 200) throw new IllegalArgumentException("image must be at least 300 x 200, got " + width + " x " + height);
      if (!(dbRange > 0)) throw new IllegalArgumentException("dB range must be positive");
    }
  }

  private static final int LEFT = 84;
  private static final int RIGHT = 110;
  private static final int TOP = 44;
  private static final int BOTTOM = 58;
  private static final Color INK = new Color(0x22, 0x22, 0x22);
  private static final Color GRID = new Color(255, 255, 255, 40);
  private static final double[] TIME_STEPS = {
    0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200
  };
  private static final double[] HZ_STEPS = {50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000};
  private static final double[] OCTAVE_TICKS = {0, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};

  private SpectrogramImage() {}

  /** Renders and writes a PNG. */
  public static void write(Path png, FloatMatrix db, FrequencyAxis axis, double secondsPerFrame, String title, Options options)
      throws IOException {
    BufferedImage img = render(db, axis, secondsPerFrame, title, options);
    if (!ImageIO.write(img, "png", png.toFile())) throw new IOException("no PNG writer available");
  }

  /**
   * @param db values in dB, {@code [axis.rows(), frames]}, row 0 the lowest frequency
   * @param secondsPerFrame hop / sample rate
   */
  public static BufferedImage render(FloatMatrix db, FrequencyAxis axis, double secondsPerFrame, String title, Options options) {
    if (db.rows() != axis.rows()) throw new IllegalArgumentException("matrix has " + db.rows() + " rows, axis " + axis.rows());
    int w = options.width();
    int h = options.height();
    int pw = w - LEFT - RIGHT;
    int ph = h - TOP - BOTTOM;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      float max = db.max();
      double top = Float.isFinite(max) ? max : 0;
      double bottom = top - options.dbRange();
      heatMap(img, db, LEFT, TOP, pw, ph, bottom, top);
      Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
      Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
      g.setFont(small);
      timeAxis(g, db.cols() * secondsPerFrame, pw, ph);
      frequencyAxis(g, axis, pw, ph);
      g.setColor(INK);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(LEFT - 1, TOP - 1, pw + 1, ph + 1);
      colorBar(g, LEFT + pw + 22, TOP, 16, ph, bottom, top);
      g.setFont(label);
      centred(g, "Time (s)", LEFT + pw / 2, h - 14);
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      centred(g, axis instanceof FrequencyAxis.Mel ? "Frequency (Hz, mel scale)" : "Frequency (Hz)", -(TOP + ph / 2), 20);
      g.setTransform(saved);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      centred(g, title, LEFT + pw / 2, 28);
    } finally {
      g.dispose();
    }
    return img;
  }

  /** Pixel colours: each pixel averages the dB cells it covers, or interpolates between rows when zoomed in. */
  private static void heatMap(BufferedImage img, FloatMatrix db, int x0, int y0, int pw, int ph, double bottom, double top) {
    int rows = db.rows();
    int cols = db.cols();
    if (rows == 0 || cols == 0) return;
    double[] column = new double[rows];
    double span = top - bottom;
    for (int x = 0; x < pw; x++) {
      int c0 = (int) ((long) x * cols / pw);
      int c1 = Math.max(c0 + 1, (int) ((long) (x + 1) * cols / pw));
      for (int r = 0; r < rows; r++) {
        double s = 0;
        for (int c = c0; c < c1; c++) s += db.get(r, c);
        column[r] = s / (c1 - c0);
      }
      for (int y = 0; y < ph; y++) {
        // Pixel rows from the top; row space runs from -0.5 (bottom edge) to rows - 0.5 (top edge).
        double lo = (double) (ph - 1 - y) / ph * rows - 0.5;
        double hi = (double) (ph - y) / ph * rows - 0.5;
        double v;
        if (hi - lo >= 1) {
          int a = (int) Math.ceil(lo);
          int b = Math.max(a + 1, (int) Math.ceil(hi));
          double s = 0;
          for (int r = a; r < b; r++) s += column[Math.min(rows - 1, Math.max(0, r))];
          v = s / (b - a);
        } else {
          double mid = Math.max(0, Math.min(rows - 1, (lo + hi) / 2));
          int a = (int) Math.floor(mid);
          int b = Math.min(rows - 1, a + 1);
          double f = mid - a;
          v = column[a] + f * (column[b] - column[a]);
        }
        img.setRGB(x0 + x, y0 + y, ColorMap.MAGMA.rgb((v - bottom) / span));
      }
    }
  }

  private static void timeAxis(Graphics2D g, double seconds, int pw, int ph) {
    if (!(seconds > 0)) return;
    double step = TIME_STEPS[TIME_STEPS.length - 1];
    for (double s : TIME_STEPS) {
      if (seconds / s <= pw / 80.0) {
        step = s;
        break;
      }
    }
    int yAxis = TOP + ph;
    for (int i = 0; i * step <= seconds + 1e-9; i++) {
      double t = i * step;
      int x = LEFT + (int) Math.round(t / seconds * pw);
      g.setColor(INK);
      g.drawLine(x, yAxis, x, yAxis + 5);
      centred(g, number(t, step), x, yAxis + 20);
    }
  }

  private static void frequencyAxis(Graphics2D g, FrequencyAxis axis, int pw, int ph) {
    double minHz = Math.max(0, axis.hz(-0.5));
    double maxHz = axis.hz(axis.rows() - 0.5);
    List<Double> ticks = new ArrayList<>();
    if (axis instanceof FrequencyAxis.Mel) {
      for (double f : OCTAVE_TICKS) ticks.add(f);
    } else {
      double step = HZ_STEPS[HZ_STEPS.length - 1];
      for (double s : HZ_STEPS) {
        if ((maxHz - minHz) / s <= ph / 40.0) {
          step = s;
          break;
        }
      }
      for (double f = Math.ceil(minHz / step) * step; f <= maxHz; f += step) ticks.add(f);
    }
    int last = Integer.MAX_VALUE;
    FontMetrics fm = g.getFontMetrics();
    for (double f : ticks) {
      if (f < minHz - 1e-9 || f > maxHz + 1e-9) continue;
      double u = (axis.row(f) + 0.5) / axis.rows();
      int y = TOP + ph - (int) Math.round(u * ph);
      if (y < TOP || y > TOP + ph || last - y < 16) continue;
      last = y;
      g.setColor(GRID);
      g.drawLine(LEFT, y, LEFT + pw - 1, y);
      g.setColor(INK);
      g.drawLine(LEFT - 5, y, LEFT - 1, y);
      String s = number(f, 1);
      g.drawString(s, LEFT - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
    }
  }

  private static void colorBar(Graphics2D g, int x, int y, int bw, int bh, double bottom, double top) {
    for (int i = 0; i < bh; i++) {
      g.setColor(new Color(ColorMap.MAGMA.rgb((bh - 1 - i + 0.5) / bh)));
      g.drawLine(x, y + i, x + bw - 1, y + i);
    }
    g.setColor(INK);
    g.drawRect(x - 1, y - 1, bw + 1, bh + 1);
    FontMetrics fm = g.getFontMetrics();
    if (top == 0) g.drawString("dB re max", x - 4, y - 12);
    double step = (top - bottom) > 40 ? 10 : (top - bottom) > 20 ? 5 : 2;
    for (double v = Math.ceil(bottom / step) * step; v <= top + 1e-9; v += step) {
      int ty = y + bh - (int) Math.round((v - bottom) / (top - bottom) * bh);
      g.drawLine(x + bw, ty, x + bw + 4, ty);
      String label = Math.abs(v) < 1e-9 ? "0 dB" : String.format(Locale.ROOT, "%+.0f dB", v);
      g.drawString(label, x + bw + 7, ty + fm.getAscent() / 2 - 1);
    }
  }

  private static String number(double v, double step) {
    if (step >= 1 || v == Math.rint(v)) return String.format(Locale.ROOT, "%.0f", v);
    int decimals = step >= 0.1 ? (step == 0.25 ? 2 : 1) : 2;
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static void centred(Graphics2D g, String s, int cx, int baseline) {
    g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
  }
}
