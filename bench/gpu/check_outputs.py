#!/usr/bin/env python3
"""Compares the separation kernels' outputs value by value: CPU_DIR as SeparationKernelTimes
--dump wrote it (the reference) against GPU_DIR as separation_kernels --in CPU_DIR --dump GPU_DIR
wrote it. Every GPU kernel ran on the CPU's inputs, so each kernel is checked in isolation.

Prints a Markdown table, one row per output: the max absolute error, that error over the RMS of
the CPU output, the share of entries that are not bit-identical (of frames whose repeating frames
differ, for the discrete outputs), the tolerance and PASS or FAIL. Exits 1 when any output fails.
Needs numpy only.

    bench/gpu/check_outputs.py CPU_DIR GPU_DIR

Tolerances, on max |gpu - cpu| / rms(cpu):
- stft, istft, similarity (1e-4): float32 FFTs of 2048 points and float32 dot products of 1025
  terms, summed in another order than the CPU's (which runs its FFT in double), with float32
  twiddles and window: about log2(2048) * 2^-24 ~ 1e-6 of the RMS per entry, a few times that at
  the worst of millions of entries and at spectral peaks 50x the RMS. A real bug (a wrong window,
  scale, index or normalisation) is off by O(1).
- magnitude (3e-5): one sqrtf of a fused re^2 + im^2 against the CPU's correctly rounded double
  result: within 2 ulps of the value, and values reach 40x the RMS: 2 * 2^-23 * 40 ~ 1e-5.
- median_time, median_freq, repeating_model, apply_mask (1e-6): selections (medians, min) and
  one IEEE float32 product on identical inputs, so expected identical; slack only hides a wrong
  selection.
- soft_mask (1e-6): the CPU's float32 operations, but nvcc fuses a^2 + b^2 into an FMA: a last-bit
  difference on values of at most 1 (RMS 0.5), 2^-24 / 0.5 ~ 1.2e-7.
- repeating_frames (0 mismatching frames): the same deterministic peak picking (lower frame
  first among equal similarities) on the identical similarity matrix; the frames of a row are
  compared as sets, so an order that differs among ties is not a mismatch.
"""
import os
import sys

import numpy as np

# (kernel, output file, tolerance on max error / RMS)
FLOAT_OUTPUTS = [
    ("stft", "stft_re", 1e-4),
    ("stft", "stft_im", 1e-4),
    ("magnitude", "magnitude", 3e-5),
    ("median_time", "median_time", 1e-6),
    ("median_freq", "median_freq", 1e-6),
    ("similarity", "similarity", 1e-4),
    ("repeating_model", "repeating_model", 1e-6),
    ("soft_mask", "soft_mask", 1e-6),
    ("apply_mask", "apply_mask_re", 1e-6),
    ("apply_mask", "apply_mask_im", 1e-6),
    ("istft", "istft", 1e-4),
]


def load(directory, name, dtype):
    path = os.path.join(directory, name)
    return np.fromfile(path, dtype=dtype) if os.path.exists(path) else None


def check_float(cpu_dir, gpu_dir, name, tolerance):
    cpu = load(cpu_dir, name + ".f32", "<f4")
    gpu = load(gpu_dir, name + ".f32", "<f4")
    if cpu is None or gpu is None:
        return None, "missing in " + (cpu_dir if cpu is None else gpu_dir)
    if cpu.shape != gpu.shape:
        return None, "size %d, expected %d" % (gpu.size, cpu.size)
    if not np.all(np.isfinite(gpu[np.isfinite(cpu)])):
        return None, "non-finite values"
    c = cpu.astype(np.float64)
    error = np.abs(gpu.astype(np.float64) - c)
    rms = float(np.sqrt(np.mean(c * c)))
    max_abs = float(error.max())
    relative = max_abs / rms if rms > 0 else (0.0 if max_abs == 0 else float("inf"))
    differing = float(np.mean(cpu.view("<i4") != gpu.view("<i4")))
    return (max_abs, relative, differing, relative <= tolerance), None


def check_frames(cpu_dir, gpu_dir):
    """Rows: ("counts" | "indices", max abs error, share of frames mismatching, PASS) or an error."""
    cpu_counts = load(cpu_dir, "repeating_frames_counts.i32", "<i4")
    gpu_counts = load(gpu_dir, "repeating_frames_counts.i32", "<i4")
    cpu_indices = load(cpu_dir, "repeating_frames_indices.i32", "<i4")
    gpu_indices = load(gpu_dir, "repeating_frames_indices.i32", "<i4")
    if any(a is None for a in (cpu_counts, gpu_counts, cpu_indices, gpu_indices)):
        return None, "missing repeating_frames files"
    if cpu_counts.shape != gpu_counts.shape or cpu_indices.shape != gpu_indices.shape:
        return None, "sizes differ"
    frames = cpu_counts.size
    stride = cpu_indices.size // frames
    count_error = np.abs(cpu_counts.astype(np.int64) - gpu_counts)
    bad_counts = int(np.count_nonzero(count_error))
    cpu_rows = cpu_indices.reshape(frames, stride)
    gpu_rows = gpu_indices.reshape(frames, stride)
    bad_sets = 0
    worst = 0
    for t in range(frames):
        n, m = int(cpu_counts[t]), int(gpu_counts[t])
        if not 0 <= m <= stride:
            bad_sets += 1
            continue
        a, b = set(cpu_rows[t, :n].tolist()), set(gpu_rows[t, :m].tolist())
        if a != b:
            bad_sets += 1
            # How far off: the largest distance from a frame of one set to the nearest of the other.
            for x, others in ((a, b), (b, a)):
                for j in x - others:
                    worst = max(worst, min((abs(j - k) for k in others), default=frames))
    rows = [
        ("repeating_frames_counts", int(count_error.max()), bad_counts / frames, bad_counts == 0),
        ("repeating_frames_indices", worst, bad_sets / frames, bad_sets == 0),
    ]
    return rows, None


def main(argv):
    if len(argv) != 3:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        print("usage: check_outputs.py CPU_DIR GPU_DIR", file=sys.stderr)
        return 2
    cpu_dir, gpu_dir = argv[1], argv[2]
    print("| kernel | output | max abs error | max error / RMS | not identical | tolerance | result |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    failed = 0

    def row(kernel, output, cells, ok):
        nonlocal failed
        failed += 0 if ok else 1
        print("| %s | %s | %s | %s |" % (kernel, output, " | ".join(cells), "PASS" if ok else "FAIL"))

    for kernel, name, tolerance in FLOAT_OUTPUTS:
        if kernel == "repeating_model":
            # The repeating frames come first, in the order the kernels run.
            frames, problem = check_frames(cpu_dir, gpu_dir)
            if problem:
                row("repeating_frames", "counts, indices", [problem, "", "", "0 frames"], False)
            else:
                for output, worst, share, ok in frames:
                    error = "%d" % worst + (" frames" if output.endswith("indices") else "")
                    row("repeating_frames", output, [error, "", "%.4f%% of frames" % (100 * share), "0 frames"], ok)
        result, problem = check_float(cpu_dir, gpu_dir, name, tolerance)
        if problem:
            row(kernel, name, [problem, "", "", "%.0e" % tolerance], False)
            continue
        max_abs, relative, differing, ok = result
        row(kernel, name, ["%.3e" % max_abs, "%.2e" % relative, "%.4f%%" % (100 * differing), "%.0e" % tolerance], ok)
    print()
    print("# check: %s (%d of %d outputs failed)" % ("FAIL" if failed else "PASS", failed, len(FLOAT_OUTPUTS) + 2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
