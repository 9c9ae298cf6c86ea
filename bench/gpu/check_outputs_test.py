#!/usr/bin/env python3
"""Self-test of check_outputs.py: a small synthetic CPU dump against copies of itself with one
output perturbed at a time; each perturbation must fail that output and only that one, and
rounding-sized noise or a reordering of tied repeating frames must pass. Needs numpy only.

    bench/gpu/check_outputs_test.py
"""
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMES, BINS, SAMPLES, STRIDE = 40, 33, 1000, 10


def synthetic_cpu(directory):
    rnd = np.random.default_rng(7)
    cells = 2 * FRAMES * BINS
    for name in ["stft_re", "stft_im", "magnitude", "median_time", "median_freq", "repeating_model",
                 "soft_mask", "apply_mask_re", "apply_mask_im"]:
        rnd.standard_normal(cells).astype("<f4").tofile(os.path.join(directory, name + ".f32"))
    rnd.random(FRAMES * FRAMES).astype("<f4").tofile(os.path.join(directory, "similarity.f32"))
    rnd.standard_normal(2 * SAMPLES).astype("<f4").tofile(os.path.join(directory, "istft.f32"))
    counts = rnd.integers(1, STRIDE + 1, FRAMES).astype("<i4")
    indices = np.zeros((FRAMES, STRIDE), "<i4")
    for t in range(FRAMES):
        indices[t, : counts[t]] = rnd.choice(FRAMES, counts[t], replace=False)
    counts.tofile(os.path.join(directory, "repeating_frames_counts.i32"))
    indices.tofile(os.path.join(directory, "repeating_frames_indices.i32"))


def run(cpu, gpu):
    done = subprocess.run([sys.executable, os.path.join(HERE, "check_outputs.py"), cpu, gpu],
                          capture_output=True, text=True)
    results = {}
    for line in done.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 7 and cells[6] in ("PASS", "FAIL"):
            results[cells[1]] = cells[6]
    return done.returncode, results, done.stdout


def case(cpu, name, change, expect_failed):
    gpu = tempfile.mkdtemp()
    try:
        for f in os.listdir(cpu):
            shutil.copy(os.path.join(cpu, f), gpu)
        change(gpu)
        code, results, out = run(cpu, gpu)
        failed = {k for k, v in results.items() if v == "FAIL"}
        ok = failed == set(expect_failed) and code == (1 if expect_failed else 0) and len(results) == 13
        print("%s: %s" % ("ok  " if ok else "BAD ", name))
        if not ok:
            print(out)
        return ok
    finally:
        shutil.rmtree(gpu)


def edit(name, dtype, fn):
    def change(gpu):
        path = os.path.join(gpu, name)
        a = np.fromfile(path, dtype)
        fn(a)
        a.tofile(path)
    return change


def main():
    cpu = tempfile.mkdtemp()
    try:
        synthetic_cpu(cpu)
        rms_re = float(np.sqrt(np.mean(np.fromfile(os.path.join(cpu, "stft_re.f32"), "<f4") ** 2)))
        rnd = np.random.default_rng(1)

        def rounding_noise(a):
            a += (rnd.standard_normal(a.size) * 1e-6 * rms_re).astype("<f4")

        counts = np.fromfile(os.path.join(cpu, "repeating_frames_counts.i32"), "<i4")

        def reorder_ties(a):
            rows = a.reshape(FRAMES, STRIDE)
            for t in np.flatnonzero(counts >= 3):
                rows[t, 1], rows[t, 2] = rows[t, 2], rows[t, 1]

        def one_index_off(a):
            t = int(np.argmax(counts >= 2))
            a[t * STRIDE + 1] = FRAMES + 5  # a frame that no set holds

        results = [
            case(cpu, "identical outputs pass", lambda g: None, []),
            case(cpu, "float32 rounding noise on the stft passes", edit("stft_re.f32", "<f4", rounding_noise), []),
            case(cpu, "tied repeating frames in another order pass", edit("repeating_frames_indices.i32", "<i4", reorder_ties), []),
            case(cpu, "one stft value off by 1e-3 RMS fails stft_re", edit("stft_re.f32", "<f4", lambda a: a.__setitem__(5, a[5] + 1e-3 * rms_re)), ["stft_re"]),
            case(cpu, "one median taken from the wrong cell fails median_time", edit("median_time.f32", "<f4", lambda a: a.__setitem__(3, a[4])), ["median_time"]),
            case(cpu, "one repeating frame changed fails the indices", edit("repeating_frames_indices.i32", "<i4", one_index_off), ["repeating_frames_indices"]),
            case(cpu, "a count changed fails the counts and the indices", edit("repeating_frames_counts.i32", "<i4", lambda a: a.__setitem__(0, a[0] - 1 if a[0] > 1 else 2)),
                 ["repeating_frames_counts", "repeating_frames_indices"]),
            case(cpu, "a NaN fails magnitude", edit("magnitude.f32", "<f4", lambda a: a.__setitem__(0, np.nan)), ["magnitude"]),
            case(cpu, "a missing output fails istft", lambda g: os.remove(os.path.join(g, "istft.f32")), ["istft"]),
            case(cpu, "a truncated output fails similarity", lambda g: open(os.path.join(g, "similarity.f32"), "r+b").truncate(40), ["similarity"]),
        ]
    finally:
        shutil.rmtree(cpu)
    print("%d of %d cases ok" % (sum(results), len(results)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
