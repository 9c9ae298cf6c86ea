#!/bin/sh
# Regenerates the MPEG audio fixtures and their reference decodes. Needs lame 3.100, mpg123 1.31.x,
# sox 14.4.x and ffmpeg (for Layer II); the tests themselves do not. Run from this directory.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every 127th interleaved sample of mpg123's float decode, gapless as mpg123 does by default
# (LAME delay + 529 samples dropped at the start, padding at the end), as "index value".
reference() {
  mpg123 -q -e f32 -s "$1" > "$tmp/ref.raw"
  od -An -v -t f4 -w4 "$tmp/ref.raw" | awk -v name="$1" -v ch="$2" '
    { n++ } (n - 1) % 127 == 0 { s = s (n - 1) " " $1 "\n" }
    END { printf "# %s: mpg123 -e f32 (gapless), every 127th interleaved sample\nframes %d\n%s", name, n / ch, s }' \
    > "${1%.*}.ref.txt"
}

# name, sox channels/rate, sox effects, lame options
make() {
  name=$1; fmt=$2; effects=$3; opts=$4
  sox -R -D -n -b 16 $fmt "$tmp/$name.wav" $effects
  lame --quiet $opts "$tmp/$name.wav" "$name.mp3"
  reference "$name.mp3" "$(soxi -c "$tmp/$name.wav")"
}

music="synth 1 sine 220 sine 330 synth 1 pinknoise mix tremolo 3 60 gain -8"
make stereo_44k_cbr128 "-c 2 -r 44100" "$music" "-b 128"
make stereo_44k_vbr_v2 "-c 2 -r 44100" "$music" "-V 2"
make mono_48k_cbr96_id3 "-c 1 -r 48000" "synth 0.8 sine 440-3000 synth 0.8 pinknoise mix gain -10" \
  "-b 96 --tt Title --ta Artist --add-id3v2 --pad-id3v2-size 300"
make mono_48k_vbr_v4_id3v1 "-c 1 -r 48000" "synth 0.8 sine 440-3000 gain -10" "-V 4 --tt Title --id3v1-only"
make stereo_22k_mpeg2_cbr64 "-c 2 -r 22050" "synth 1 sine 300 sine 500 synth 1 brownnoise mix gain -6" "-b 64"
make stereo_11k_mpeg25_cbr32 "-c 2 -r 11025" "synth 1 sine 300 sine 500 gain -6" "-b 32"
# No Xing/Info frame (-t): no gapless trimming, length unknown until the end.
make mono_32k_notag "-c 1 -r 32000" "synth 0.6 sine 1000 synth 0.6 whitenoise mix gain -12" "-b 64 -t"
# CRC-protected frames (-p).
make stereo_44k_crc "-c 2 -r 44100" "synth 0.5 sine 600 sine 900 gain -6" "-b 160 -p"

# Layer II (MP2) from ffmpeg's encoder.
sox -R -D -n -b 16 -c 2 -r 48000 "$tmp/l2.wav" synth 0.5 sine 440 sine 660 gain -6
ffmpeg -v error -y -i "$tmp/l2.wav" -c:a mp2 -b:a 192k -f mp2 stereo_48k_layer2.mp2
reference stereo_48k_layer2.mp2 2
