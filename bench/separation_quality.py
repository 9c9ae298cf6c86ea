#!/usr/bin/env python3
"""Sources, mixtures and scores for bench/separation-quality.sh.

  separation_quality.py make DIR     writes DIR/<case>.mix.wav and its known sources
  separation_quality.py score DIR    prints SDR / SI-SDR of each stem in DIR/out against its source

Cases: hp (sustained chords + drum hits, for HPSS), voice (an espeak-ng voice over a repeating
synthetic loop, for REPET-SIM), real (the same voice over a looped excerpt of real music), when
DIR/voice.wav and DIR/real_loop.wav exist. All 44.1 kHz stereo float32.
"""
import os
import sys

import numpy as np
from scipy.io import wavfile

RATE = 44100


def write(path, x):
    wavfile.write(path, RATE, np.asarray(x, dtype=np.float32).T.copy())


def read(path):
    rate, x = wavfile.read(path)
    if x.dtype == np.int16:
        x = x / 32768.0
    elif x.dtype == np.int32:
        x = x / 2147483648.0
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    return rate, x.T


def chords(n, rng):
    t = np.arange(n) / RATE
    out = np.zeros((2, n))
    progression = [[220.0, 277.2, 329.6], [196.0, 246.9, 293.7], [174.6, 220.0, 261.6], [196.0, 246.9, 329.6]]
    seg = int(2.5 * RATE)
    for s in range(0, n, seg):
        e = min(n, s + seg)
        notes = progression[(s // seg) % len(progression)]
        env = np.minimum(1, np.minimum((t[s:e] - t[s]) / 0.05, (t[e - 1] - t[s:e]) / 0.1 + 0.01))
        for i, f in enumerate(notes):
            v = sum(np.sin(2 * np.pi * f * h * t[s:e] + rng.uniform(0, 6)) / h ** 1.5 for h in range(1, 6))
            pan = 0.3 + 0.2 * i
            out[0, s:e] += 0.08 * env * v * (1 - pan)
            out[1, s:e] += 0.08 * env * v * pan
    return out


def drums(n, rng, bpm=120.0):
    out = np.zeros((2, n))
    beat = int(60 / bpm * RATE)
    for i, start in enumerate(range(0, n, beat // 2)):
        kind = ("kick", "hat", "snare", "hat")[i % 4]
        if kind == "kick":
            m = int(0.15 * RATE)
            tt = np.arange(m) / RATE
            v = 0.8 * np.exp(-tt / 0.05) * np.sin(2 * np.pi * (50 + 60 * np.exp(-tt / 0.02)) * tt)
            left = right = v
        elif kind == "snare":
            m = int(0.12 * RATE)
            tt = np.arange(m) / RATE
            v = 0.5 * np.exp(-tt / 0.04) * rng.uniform(-1, 1, m)
            left, right = 0.9 * v, v
        else:
            m = int(0.04 * RATE)
            tt = np.arange(m) / RATE
            v = np.diff(rng.uniform(-1, 1, m + 1)) * 0.2 * np.exp(-tt / 0.01)
            left, right = v, 0.6 * v
        e = min(n, start + m)
        out[0, start:e] += left[: e - start]
        out[1, start:e] += right[: e - start]
    return out


def loop_synth(seconds, rng):
    """Two seconds of bass, two chords and a drum pattern: a loop that repeats exactly."""
    n = int(2 * RATE)
    t = np.arange(n) / RATE
    x = np.zeros((2, n))
    for half, (root, third) in enumerate([(110.0, 138.6), (98.0, 123.5)]):
        s, e = half * n // 2, (half + 1) * n // 2
        env = np.exp(-(t[s:e] - t[s]) / 0.6)
        bass = 0.25 * env * np.sin(2 * np.pi * root / 2 * t[s:e])
        chord = sum(0.05 * np.sin(2 * np.pi * f * h * t[s:e]) / h for f in (root * 2, third * 2, root * 3) for h in (1, 2, 3))
        x[0, s:e] += bass + 1.2 * chord
        x[1, s:e] += bass + 0.8 * chord
    x += drums(n, rng)
    reps = int(np.ceil(seconds * RATE / n))
    return np.tile(x, reps)[:, : int(seconds * RATE)]


def voice_over(background, voice, gain_db):
    """The voice (mono) centred over the background, at gain_db relative to the background's RMS."""
    n = background.shape[1]
    v = np.zeros(n)
    start = int(0.5 * RATE)
    m = min(len(voice), n - start)
    v[start : start + m] = voice[:m]
    rms_b = np.sqrt(np.mean(background ** 2))
    rms_v = np.sqrt(np.mean(v[start : start + m] ** 2))
    v *= rms_b / rms_v * 10 ** (gain_db / 20)
    return np.vstack([v, v])


def make(d):
    rng = np.random.default_rng(1)
    n = 20 * RATE
    h, p = chords(n, rng), drums(n, rng)
    p *= np.sqrt(np.mean(h ** 2) / np.mean(p ** 2))  # equal loudness: the mixture alone scores 0 dB
    write(os.path.join(d, "hp.harmonic.src.wav"), h)
    write(os.path.join(d, "hp.percussive.src.wav"), p)
    write(os.path.join(d, "hp.mix.wav"), h + p)
    voice_path = os.path.join(d, "voice.wav")
    if os.path.exists(voice_path):
        _, voice = read(voice_path)
        voice = voice[0]
        seconds = len(voice) / RATE + 1.0
        cases = {"voice": loop_synth(seconds, rng)}
        real_path = os.path.join(d, "real_loop.wav")
        if os.path.exists(real_path):
            _, loop = read(real_path)
            if loop.shape[0] == 1:
                loop = np.vstack([loop[0], loop[0]])
            cases["real"] = np.tile(loop, int(np.ceil(seconds * RATE / loop.shape[1])))[:, : int(seconds * RATE)]
        for name, bg in cases.items():
            bg = 0.5 * bg / np.max(np.abs(bg))
            v = voice_over(bg, voice, -3.0)
            write(os.path.join(d, name + ".accompaniment.src.wav"), bg)
            write(os.path.join(d, name + ".vocals.src.wav"), v)
            write(os.path.join(d, name + ".mix.wav"), bg + v)


def sdr(s, e):
    return 10 * np.log10(np.sum(s ** 2) / np.sum((s - e) ** 2))


def si_sdr(s, e):
    s, e = s.ravel(), e.ravel()
    target = np.dot(e, s) / np.dot(s, s) * s
    return 10 * np.log10(np.sum(target ** 2) / np.sum((target - e) ** 2))


def score(d):
    out = os.path.join(d, "out")
    print("| mixture | stem | SDR dB | SI-SDR dB | mixture as estimate: SDR dB | improvement dB |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for case, stems in (("hp", ("harmonic", "percussive")), ("voice", ("vocals", "accompaniment")), ("real", ("vocals", "accompaniment"))):
        mix_path = os.path.join(d, case + ".mix.wav")
        if not os.path.exists(mix_path):
            continue
        _, mix = read(mix_path)
        for stem in stems:
            _, src = read(os.path.join(d, "%s.%s.src.wav" % (case, stem)))
            _, est = read(os.path.join(out, "%s.mix.%s.wav" % (case, stem)))
            n = min(src.shape[1], est.shape[1])
            s, e, m = src[:, :n], est[:, :n], mix[:, :n]
            base = sdr(s, m)
            print("| %s | %s | %.1f | %.1f | %.1f | %+.1f |" % (case, stem, sdr(s, e), si_sdr(s, e), base, sdr(s, e) - base))


if __name__ == "__main__":
    {"make": make, "score": score}[sys.argv[1]](sys.argv[2])
