#!/usr/bin/env python3
"""Regenerates the spectral golden files from librosa's formulas, re-implemented in numpy.

librosa itself is not needed: each function below transcribes the librosa 0.10 function named in
its docstring (filters.mel, stft, power_to_db, feature.mfcc). Run from this folder:
    python3 make_fixtures.py
Needs numpy and scipy.
"""
import numpy as np
import scipy.fftpack
import scipy.signal


def hz_to_mel(f, htk):
    """librosa.hz_to_mel"""
    f = np.asanyarray(f, dtype=float)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-300) / min_log_hz) / logstep, f / f_sp)


def mel_to_hz(m, htk):
    """librosa.mel_to_hz"""
    m = np.asanyarray(m, dtype=float)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


def mel_filter(sr, n_fft, n_mels=128, fmin=0.0, fmax=None, htk=False, norm="slaney"):
    """librosa.filters.mel (in float64)"""
    fmax = sr / 2 if fmax is None else fmax
    weights = np.zeros((n_mels, 1 + n_fft // 2))
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2), htk)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    if norm == "slaney":
        weights *= (2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels]))[:, None]
    return weights


def stft_power(y, n_fft=2048, hop=512, center=True, pad_mode="constant", power=2.0):
    """np.abs(librosa.stft(y, n_fft, hop, window='hann', center, pad_mode)) ** power"""
    win = scipy.signal.get_window("hann", n_fft, fftbins=True)
    if center:
        y = np.pad(y, n_fft // 2, mode=pad_mode)
    n = 1 + (len(y) - n_fft) // hop
    frames = np.stack([y[t * hop:t * hop + n_fft] for t in range(n)], axis=1)
    return np.abs(np.fft.rfft(frames * win[:, None], axis=0)) ** power


def power_to_db(s, ref=1.0, amin=1e-10, top_db=80.0):
    """librosa.power_to_db"""
    d = 10.0 * np.log10(np.maximum(amin, s)) - 10.0 * np.log10(max(amin, ref))
    return np.maximum(d, d.max() - top_db)


def test_signal():
    """SpectralFixturesTest.signal(): 0.5 s at 22050 Hz, computed in double, stored as float32."""
    n = np.arange(11025)
    y = 0.5 * np.sin(2 * np.pi * 440 * n / 22050) + 0.25 * np.sin(2 * np.pi * 3000 * n / 22050) \
        + 0.1 * np.sin(2 * np.pi * 7919 * n / 22050) * (n / 11025)
    return y.astype(np.float32).astype(np.float64)


def write_nonzero(path, w):
    with open(path, "w") as f:
        f.write(f"# mel filterbank {w.shape[0]}x{w.shape[1]}, non-zero weights: band,bin,weight\n")
        for m, k in zip(*np.nonzero(w)):
            f.write(f"{m},{k},{w[m, k]!r}\n")


def write_matrix(path, a, comment):
    with open(path, "w") as f:
        f.write(f"# {comment}, {a.shape[0]}x{a.shape[1]}, one row per line\n")
        for row in a:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


write_nonzero("mel-slaney-22050-2048-128.csv", mel_filter(22050, 2048))
write_nonzero("mel-htk-22050-2048-128.csv", mel_filter(22050, 2048, htk=True))
write_nonzero("mel-htk-16000-512-40-20-7600-nonorm.csv", mel_filter(16000, 512, 40, 20.0, 7600.0, htk=True, norm=None))
y = test_signal()
mel = mel_filter(22050, 2048) @ stft_power(y)
write_matrix("signal-mel-db.csv", power_to_db(mel), "power_to_db(melspectrogram(signal))")
write_matrix("signal-mfcc.csv", scipy.fftpack.dct(power_to_db(mel), axis=0, type=2, norm="ortho")[:20], "mfcc(signal)")
