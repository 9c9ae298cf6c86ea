package io.wavegraph.audio.spectral;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectrogramImageTest {

  @Test
  void writesAPngOfTheRequestedSizeWithVariedContent(@TempDir Path dir) throws Exception {
    float[] x = new float[22050 * 2];
    for (int n = 0; n < x.length; n++) x[n] = (float) (0.5 * Math.sin(2 * Math.PI * (200 + 2000.0 * n / x.length) * n / 22050));
    MelFilterbank bank = MelFilterbank.create(22050, 2048, 128, 0, 11025, MelScale.SLANEY, true);
    FloatMatrix db = Decibels.powerToDb(Spectrograms.mel(x, StftParams.DEFAULT, bank));
    Path png = dir.resolve("mel.png");
    SpectrogramImage.write(png, db, new FrequencyAxis.Mel(MelScale.SLANEY, 0, 11025, 128), 512 / 22050.0, "chirp",
        new SpectrogramImage.Options(900, 400, 80));
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 8);
    assertThat(head).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(900);
    assertThat(img.getHeight()).isEqualTo(400);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) for (int x2 = 0; x2 < img.getWidth(); x2 += 3) colours.add(img.getRGB(x2, y));
    assertThat(colours.size()).isGreaterThan(100);
    // Near the start the chirp is low (200 Hz): the brightest pixel of that column is in the plot's
    // lower quarter (the plot spans y 44..342 in a 400-pixel image).
    int brightest = 44;
    for (int y = 44; y < 342; y++) if (lightness(img.getRGB(100, y)) > lightness(img.getRGB(100, brightest))) brightest = y;
    assertThat(brightest).isGreaterThan(270);
  }

  @Test
  void magmaRunsFromDarkToLightMonotonically() {
    double last = -1;
    for (int i = 0; i < 256; i++) {
      double l = lightness(ColorMap.MAGMA.entry(i));
      assertThat(l).as("entry %d", i).isGreaterThanOrEqualTo(last - 0.5);
      last = l;
    }
    assertThat(ColorMap.MAGMA.entry(0)).isEqualTo(0x000004);
    assertThat(ColorMap.MAGMA.entry(255)).isEqualTo(0xFCFDBF);
  }

  /** Rough perceived lightness (Rec. 709 luma), 0..255. */
  static double lightness(int rgb) {
    return 0.2126 * (rgb >> 16 & 0xFF) + 0.7152 * (rgb >> 8 & 0xFF) + 0.0722 * (rgb & 0xFF);
  }
}
