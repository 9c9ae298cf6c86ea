#!/bin/sh
# Regenerates the FLAC fixtures and expected.txt. Needs `flac` (1.4.x) and `sox` (14.4.x);
# the tests themselves do not. Run from this directory.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name, sox output format, sox synthesis effects, flac options
make() {
  name=$1; fmt=$2; effects=$3; flac_opts=$4
  sox -R -D -n $fmt "$tmp/$name.wav" $effects
  flac -s -f $flac_opts -o "$name.flac" "$tmp/$name.wav"
  md5=$(flac -s -d -c --force-raw-format --endian=little --sign=signed "$name.flac" | md5sum | cut -d' ' -f1)
  echo "$name $md5" >> expected.txt
}

: > expected.txt
make s16_stereo_44k_default "-r 44100 -b 16 -c 2" "synth 0.5 sine 440 sine 3000 gain -3" ""
make s8_mono_22k_fixed_b192 "-r 22050 -b 8 -c 1" "synth 0.5 sine 300 gain -2" "-0 -b 192"
make s8_mono_11025_b1000 "-r 11025 -b 8 -c 1" "synth 0.5 pinknoise" "--lax -b 1000"
make s24_stereo_48k_lpc32 "-r 48000 -b 24 -c 2" "synth 0.5 sine 1000 sine 1500 sine 2300 sine 3100 sine 4700 sine 5300 sine 7100 sine 9100 gain -20" "-8 -e --lax -l 32 -b 4608"
make s24_stereo_96k_rice2 "-r 96000 -b 24 -c 2" "synth 0.3 whitenoise sine 500 gain -1" "-5"
make s16_6ch_48k_b16384 "-r 48000 -b 16 -c 6" "synth 0.5 sine 100 sine 200 sine 300 sine 50 pinknoise brownnoise gain -6" "--lax -b 16384 -6"
make s16_stereo_32k_ms_b256 "-r 32000 -b 16 -c 2" "synth 0.5 sine 440 sine 445 gain -1" "-2 -b 256"
make s32_stereo_44k "-r 44100 -b 32 -c 2" "synth 0.25 sine 440 pinknoise gain -3" "-5"
# Silence on the left (CONSTANT subframes), full-scale white noise on the right (VERBATIM).
make s16_stereo_silence_noise "-r 44100 -b 16 -c 2" "synth 0.3 sine 0 whitenoise remix 1v0 2" "-5 --no-mid-side"
make s16_mono_8k_b4096 "-r 8000 -b 16 -c 1" "synth 0.5 sine 1000 gain -20" "-3 -b 4096"

# 8-bit audio widened to 16 bits: the low byte is always zero, so frames use wasted bits.
sox -R -D -n -r 44100 -b 8 -c 2 "$tmp/w8.wav" synth 0.5 sine 700 sine 900
sox -R -D "$tmp/w8.wav" -b 16 "$tmp/s16_wasted_bits.wav"
flac -s -f -5 -o s16_wasted_bits.flac "$tmp/s16_wasted_bits.wav"
echo "s16_wasted_bits $(flac -s -d -c --force-raw-format --endian=little --sign=signed s16_wasted_bits.flac | md5sum | cut -d' ' -f1)" >> expected.txt

# One reference decode kept as WAV, to compare the FLAC and WAV decoders sample by sample.
flac -s -f -d -o s16_stereo_44k_default.wav s16_stereo_44k_default.flac
