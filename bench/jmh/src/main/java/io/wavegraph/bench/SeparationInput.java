package io.wavegraph.bench;

import io.wavegraph.audio.separation.SeparationKernels;

/**
 * The separation kernels' benchmark input: 30 s of stereo music-like signal at 44.1 kHz, its STFT
 * (fft 2048, hop 512) and what the later kernels read. The same sizes as {@code
 * bench/gpu/separation_kernels.cu}.
 */
final class SeparationInput {
  static final int RATE = 44100;
  static final int SAMPLES = 30 * RATE;
  static final int FFT = 2048;
  static final int HOP = 512;
  static final int KERNEL = 17;
  static final int MAX_REPEATS = 100;
  static final int MIN_DISTANCE = Math.round(1f * RATE / HOP);
  /** Similarity rows per block, as {@code RepetSim} uses them at this size: the whole matrix. */
  final int frames = SeparationKernels.frames(SAMPLES, HOP);
  final int bins = FFT / 2 + 1;
  final int cells = frames * bins;
  final float[][] signal = new float[2][SAMPLES];
  final float[][] re = new float[2][cells];
  final float[][] im = new float[2][cells];
  final float[][] magnitude = new float[2][cells];
  final float[] mean = new float[cells];
  final float[] sim = new float[frames * frames];
  final int[] repeats = new int[frames * MAX_REPEATS];
  final int[] counts = new int[frames];
  final float[] out = new float[cells];
  final float[] out2 = new float[cells];
  final float[] mask = new float[cells];
  final float[] samplesOut = new float[SAMPLES];

  SeparationInput(SeparationKernels k) {
    float[] music = Signals.music(RATE, SAMPLES);
    for (int i = 0; i < SAMPLES; i++) {
      signal[0][i] = music[2 * i];
      signal[1][i] = music[2 * i + 1];
    }
    for (int c = 0; c < 2; c++) {
      k.stft(signal[c], SAMPLES, FFT, HOP, re[c], im[c]);
      k.magnitude(re[c], im[c], cells, magnitude[c]);
      for (int i = 0; i < cells; i++) mean[i] += magnitude[c][i] / 2;
    }
    k.similarity(mean, frames, bins, 0, frames, sim);
    k.repeatingFrames(sim, frames, 0, frames, MAX_REPEATS, MIN_DISTANCE, 0f, repeats, counts);
  }
}
