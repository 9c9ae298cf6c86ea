package io.wavegraph.cli;

import picocli.CommandLine.Command;

/**
 * The audio library on single files: to try a transform on one track, and to score it against
 * the reference tools (`../shared/audio-check/`). Each subcommand lives in its own class.
 */
@Command(
    name = "audio",
    description = "Audio tools on single files: info, resample, loudness, synth, spectrogram, mel, mfcc, separate.",
    subcommands = {
      AudioInfoCommand.class,
      AudioResampleCommand.class,
      AudioLoudnessCommand.class,
      AudioTempoCommand.class,
      AudioSynthCommand.class,
      AudioSpectrogramCommand.class,
      AudioMelCommand.class,
      AudioMfccCommand.class,
      AudioSeparateCommand.class,
    })
final class AudioCommand {}
