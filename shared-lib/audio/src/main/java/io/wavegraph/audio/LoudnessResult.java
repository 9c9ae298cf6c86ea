package io.wavegraph.audio;

/**
 * Loudness measurements of one programme (ITU-R BS.1770-4, EBU R128, EBU Tech 3341/3342).
 *
 * <p>Values that have nothing to measure are {@link Double#NEGATIVE_INFINITY}: integrated and
 * maximum loudness when no 400 ms (or 3 s) block exists or passes the gates, peaks of digital
 * silence. {@code loudnessRangeLu} is 0 when no short-term block passes its gates. Callers that
 * write JSON must map infinities themselves (JSON has no representation for them).
 *
 * @param integratedLufs gated programme loudness, LUFS
 * @param loudnessRangeLu EBU Tech 3342 loudness range, LU
 * @param samplePeakDbfs largest absolute sample, dBFS
 * @param truePeakDbtp largest oversampled absolute value, dBTP
 * @param momentaryMaxLufs largest 400 ms loudness, evaluated every 10 ms
 * @param shortTermMaxLufs largest 3 s loudness, evaluated every 10 ms
 */
public record LoudnessResult(
    double integratedLufs,
    double loudnessRangeLu,
    double samplePeakDbfs,
    double truePeakDbtp,
    double momentaryMaxLufs,
    double shortTermMaxLufs) {}
