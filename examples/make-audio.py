#!/usr/bin/env python3
"""Synthesizes Wavegraph's example audio (license-clean: made here, from nothing).

  examples/make-audio.py examples/audio            # the four example tracks (FLAC needs `flac`)
  examples/make-audio.py --items 60 --seconds 2 DIR   # N distinct short tracks, for benchmarks

Standard library only, deterministic: the same command writes the same bytes.
"""
import argparse
import math
import os
import random
import shutil
import struct
import subprocess
import sys
import wave

TAU = 2 * math.pi


def note(midi):
    return 440.0 * 2 ** ((midi - 69) / 12)


def envelope(t, length, attack=0.01, release=0.2):
    if t < attack:
        return t / attack
    if t > length - release:
        return max(0.0, (length - t) / release)
    return 1.0


def chords(rate, seconds):
    """I-V-vi-IV in C, a few harmonics per voice, panned apart."""
    progression = [[60, 64, 67], [55, 59, 62, 67], [57, 60, 64], [53, 57, 60, 65]]
    n = int(rate * seconds)
    per = seconds / len(progression)
    left, right = [], []
    for i in range(n):
        t = i / rate
        chord = progression[min(int(t / per), len(progression) - 1)]
        tc = t - int(t / per) * per
        env = envelope(tc, per, 0.02, 0.3) * math.exp(-1.2 * tc)
        l = r = 0.0
        for k, m in enumerate(chord):
            f = note(m)
            v = sum(math.sin(TAU * f * h * t) / h for h in (1, 2, 3, 4))
            pan = (k + 0.5) / len(chord)
            l += v * (1 - pan)
            r += v * pan
        left.append(0.18 * env * l)
        right.append(0.18 * env * r)
    return [left, right]


def drums(rate, seconds, bpm=120, seed=7):
    """Kick on 1 and 3, snare on 2 and 4, closed hats on eighths."""
    rng = random.Random(seed)
    n = int(rate * seconds)
    out = [0.0] * n
    beat = 60.0 / bpm
    for b in range(int(seconds / beat) + 1):
        start = int(b * beat * rate)
        if b % 2 == 0:  # kick: falling sine
            for i in range(int(0.25 * rate)):
                if start + i >= n:
                    break
                t = i / rate
                f = 50 + 100 * math.exp(-t * 30)
                out[start + i] += 0.9 * math.exp(-t * 14) * math.sin(TAU * f * t)
        else:  # snare: noise + tone
            for i in range(int(0.18 * rate)):
                if start + i >= n:
                    break
                t = i / rate
                out[start + i] += math.exp(-t * 25) * (0.45 * rng.uniform(-1, 1) + 0.25 * math.sin(TAU * 190 * t))
        for half in (0, 1):  # hats
            hs = start + int(half * beat / 2 * rate)
            prev = 0.0
            for i in range(int(0.04 * rate)):
                if hs + i >= n:
                    break
                x = rng.uniform(-1, 1)
                out[hs + i] += 0.2 * math.exp(-i / rate * 90) * (x - prev)  # crude high-pass
                prev = x
    peak = max(abs(x) for x in out) or 1.0
    mono = [0.8 * x / peak for x in out]
    return [mono, [x * 0.95 for x in mono]]


def pad(rate, seconds):
    """A slow A minor pad with vibrato."""
    n = int(rate * seconds)
    out = []
    for i in range(n):
        t = i / rate
        env = min(1.0, t / 1.0) * envelope(t, seconds, 0.01, 0.8)
        v = 0.0
        for m in (57, 60, 64, 69):
            f = note(m) * (1 + 0.003 * math.sin(TAU * 5 * t))
            v += math.sin(TAU * f * t) + 0.3 * math.sin(TAU * 2 * f * t)
        out.append(0.15 * env * v)
    return [out]


def bells(rate, seconds):
    """Struck bells: inharmonic partials, exponential decay."""
    n = int(rate * seconds)
    strikes = [(0.0, 72), (0.7, 76), (1.4, 79), (2.1, 84)]
    left, right = [0.0] * n, [0.0] * n
    for k, (at, m) in enumerate(strikes):
        f0 = note(m)
        start = int(at * rate)
        for i in range(start, n):
            t = (i - start) / rate
            v = sum(a * math.sin(TAU * f0 * p * t) * math.exp(-t * d)
                    for p, a, d in ((1, 1, 2.5), (2.76, 0.5, 4), (5.4, 0.25, 7), (8.93, 0.12, 11)))
            pan = k / (len(strikes) - 1)
            left[i] += 0.2 * v * (1 - pan)
            right[i] += 0.2 * v * pan
    return [left, right]


def item(rate, seconds, index):
    """A distinct short track per index: a two-note motif whose pitches and timbre vary."""
    n = int(rate * seconds)
    a, b = note(48 + index % 24), note(55 + (index * 7) % 24)
    bright = 1 + index % 4
    out = []
    for i in range(n):
        t = i / rate
        f = a if (t * 2) % 1 < 0.5 else b
        env = envelope(t, seconds, 0.01, 0.1)
        v = sum(math.sin(TAU * f * h * t) / h for h in range(1, bright + 2))
        out.append(0.3 * env * v)
    return [out, out]


def write_wav(path, channels, rate, kind):
    """kind: pcm16, pcm24 or float32 (WAVE_FORMAT_IEEE_FLOAT, written by hand: `wave` cannot)."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    frames = len(channels[0])
    nch = len(channels)
    if kind == "float32":
        data = bytearray()
        for i in range(frames):
            for c in channels:
                data += struct.pack("<f", max(-1.0, min(1.0, c[i])))
        fmt = struct.pack("<HHIIHH", 3, nch, rate, rate * nch * 4, nch * 4, 32)
        fact = b"fact" + struct.pack("<II", 4, frames)
        body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + fact + b"data" + struct.pack("<I", len(data)) + bytes(data)
        with open(path, "wb") as f:
            f.write(b"RIFF" + struct.pack("<I", len(body)) + body)
        return
    width = 2 if kind == "pcm16" else 3
    scale = 32767 if width == 2 else 8388607
    data = bytearray()
    for i in range(frames):
        for c in channels:
            v = int(round(max(-1.0, min(1.0, c[i])) * scale))
            data += struct.pack("<i", v)[:width]
    with wave.open(path, "wb") as w:
        w.setnchannels(nch)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(bytes(data))


def to_flac(wav_path):
    flac = shutil.which("flac")
    if not flac:
        print(f"flac not found: keeping {wav_path} as WAV", file=sys.stderr)
        return
    subprocess.run([flac, "-s", "-f", "-8", "--no-seektable", "-o", wav_path[:-4] + ".flac", wav_path], check=True)
    os.remove(wav_path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--items", type=int, help="write N distinct short tracks instead of the examples")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--rate", type=int, default=44100)
    a = ap.parse_args()
    if a.items:
        for i in range(a.items):
            write_wav(os.path.join(a.outdir, f"item-{i:04d}.wav"), item(a.rate, a.seconds, i), a.rate, "pcm16")
        return
    write_wav(os.path.join(a.outdir, "pop/chords.wav"), chords(44100, 4.0), 44100, "pcm16")
    write_wav(os.path.join(a.outdir, "pop/drums.wav"), drums(44100, 4.0), 44100, "pcm16")
    to_flac(os.path.join(a.outdir, "pop/drums.wav"))
    write_wav(os.path.join(a.outdir, "ambient/pad.wav"), pad(48000, 4.0), 48000, "pcm24")
    write_wav(os.path.join(a.outdir, "ambient/bells.wav"), bells(32000, 3.0), 32000, "float32")


if __name__ == "__main__":
    main()
