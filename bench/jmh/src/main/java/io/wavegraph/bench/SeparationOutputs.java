package io.wavegraph.bench;

import io.wavegraph.audio.separation.SeparationKernels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the benchmark input and every separation kernel's output on it to a directory, as raw
 * little-endian float32 ({@code .f32}) or int32 ({@code .i32}) files, for {@code
 * bench/gpu/check_outputs.py} to compare with what {@code bench/gpu/separation_kernels.cu --dump}
 * writes. The CUDA program reads the inputs back ({@code --in}), so each of its kernels runs on
 * exactly the inputs the CPU kernel had and is checked in isolation.
 *
 * <p>Per-channel arrays are written channel 0 then channel 1, as the CUDA program lays them out.
 * Files: {@code signal} (2 x samples), {@code stft_re}, {@code stft_im}, {@code magnitude}, {@code
 * median_time}, {@code median_freq}, {@code repeating_model}, {@code soft_mask} (each channel
 * against the other), {@code apply_mask_re}, {@code apply_mask_im} (each channel by its own mask;
 * all 2 x frames x bins), {@code similarity} (frames x frames, of the channel mean), {@code
 * repeating_frames_counts} (frames), {@code repeating_frames_indices} (frames x maxRepeats, the
 * first count of each row defined) and {@code istft} (2 x samples).
 */
final class SeparationOutputs {
  private SeparationOutputs() {}

  static void write(SeparationKernels k, SeparationInput in, Path dir) throws IOException {
    Files.createDirectories(dir);
    int s = SeparationInput.SAMPLES;
    int fft = SeparationInput.FFT;
    int hop = SeparationInput.HOP;
    int cells = in.cells;
    write(dir, "signal", in.signal);
    write(dir, "stft_re", in.re);
    write(dir, "stft_im", in.im);
    write(dir, "magnitude", in.magnitude);
    float[][] out = new float[2][cells];
    for (int c = 0; c < 2; c++) k.medianAlongTime(in.magnitude[c], in.frames, in.bins, SeparationInput.KERNEL, out[c]);
    write(dir, "median_time", out);
    for (int c = 0; c < 2; c++) k.medianAlongFrequency(in.magnitude[c], in.frames, in.bins, SeparationInput.KERNEL, out[c]);
    write(dir, "median_freq", out);
    write(dir, "similarity", new float[][] {in.sim});
    write(dir, "repeating_frames_counts", in.counts);
    write(dir, "repeating_frames_indices", in.repeats);
    for (int c = 0; c < 2; c++) {
      k.repeatingModel(in.magnitude[c], in.frames, in.bins, 0, in.frames, SeparationInput.MAX_REPEATS, in.repeats, in.counts, out[c]);
    }
    write(dir, "repeating_model", out);
    float[][] mask = new float[2][cells];
    for (int c = 0; c < 2; c++) k.softMask(in.magnitude[c], in.magnitude[1 - c], cells, 2f, mask[c]);
    write(dir, "soft_mask", mask);
    float[][] outIm = new float[2][cells];
    for (int c = 0; c < 2; c++) k.applyMask(in.re[c], in.im[c], mask[c], cells, out[c], outIm[c]);
    write(dir, "apply_mask_re", out);
    write(dir, "apply_mask_im", outIm);
    float[][] samples = new float[2][s];
    for (int c = 0; c < 2; c++) k.istft(in.re[c], in.im[c], in.frames, fft, hop, samples[c], s);
    write(dir, "istft", samples);
  }

  private static void write(Path dir, String name, float[][] channels) throws IOException {
    int n = 0;
    for (float[] c : channels) n += c.length;
    ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] c : channels) {
      // A float view starts at the byte buffer's position and does not move it.
      b.asFloatBuffer().put(c);
      b.position(b.position() + 4 * c.length);
    }
    write(dir.resolve(name + ".f32"), b);
  }

  private static void write(Path dir, String name, int[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    write(dir.resolve(name + ".i32"), b);
  }

  private static void write(Path file, ByteBuffer b) throws IOException {
    b.rewind();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      while (b.hasRemaining()) ch.write(b);
    }
  }
}
