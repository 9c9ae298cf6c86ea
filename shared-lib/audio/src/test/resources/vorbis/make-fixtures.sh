#!/bin/sh
# Regenerates the Ogg Vorbis fixtures and their reference decodes. Needs oggenc/oggdec
# (vorbis-tools 1.4.x), sox 14.4.x and ffmpeg with libopus; the tests themselves do not.
# Run from this directory.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Every 127th interleaved sample of libvorbis's own decode (oggdec, 16-bit), as "index value".
# Arguments: fixture name, channels, and the Ogg files whose decodes make it up (default: the fixture).
reference() {
  name=$1; ch=$2; shift 2
  : > "$tmp/ref.raw"
  [ $# -gt 0 ] || set -- "$name.ogg"
  for f in "$@"; do
    oggdec -Q -R -o "$tmp/part.raw" "$f"
    cat "$tmp/part.raw" >> "$tmp/ref.raw"
  done
  od -An -v -t d2 -w2 "$tmp/ref.raw" | awk -v name="$name" -v ch="$ch" '
    { n++ } (n - 1) % 127 == 0 { s = s (n - 1) " " $1 "\n" }
    END { printf "# %s: oggdec -R (16-bit), every 127th interleaved sample\nframes %d\n%s", name, n / ch, s }' > "$name.ref.txt"
}

# name, sox channels/rate, sox effects, oggenc options
make() {
  name=$1; fmt=$2; effects=$3; opts=$4
  sox -R -D -n -b 16 $fmt "$tmp/$name.wav" $effects
  oggenc -Q $opts -o "$name.ogg" "$tmp/$name.wav"
  reference "$name" "$(soxi -c "$tmp/$name.wav")"
}

make stereo_44k_q5 "-c 2 -r 44100" "synth 1 sine 220 sine 330 synth 1 pinknoise mix tremolo 3 60 gain -8" "-q 5"
make mono_48k_q0 "-c 1 -r 48000" "synth 0.8 sine 440-3000 synth 0.8 pinknoise mix tremolo 5 50 gain -10" "-q 0"
make stereo_22k_q9 "-c 2 -r 22050" "synth 1 sine 300 sine 500 synth 1 brownnoise mix gain -6" "-q 9"
make mono_44k_q3_comments "-c 1 -r 44100" "synth 0.5 sine 1000 gain -12" "-q 3 -t Title -a Artist -c DESCRIPTION=$(printf 'x%.0s' $(seq 1 3000))"

# Two streams of the same format, one after the other (a chained file, as streaming radio makes).
sox -R -D -n -b 16 -c 2 -r 44100 "$tmp/a.wav" synth 0.3 sine 500 gain -6
sox -R -D -n -b 16 -c 2 -r 44100 "$tmp/b.wav" synth 0.4 sine 700 gain -6
oggenc -Q -q 4 -o "$tmp/a.ogg" "$tmp/a.wav"
oggenc -Q -q 4 -o "$tmp/b.ogg" "$tmp/b.wav"
cat "$tmp/a.ogg" "$tmp/b.ogg" > chained_44k.ogg
# oggdec restarts its output at a new link, so the reference is the two links decoded apart.
reference chained_44k 2 "$tmp/a.ogg" "$tmp/b.ogg"

# Opus is recognised and refused.
sox -R -D -n -b 16 -c 1 -r 48000 "$tmp/o.wav" synth 0.2 sine 440
ffmpeg -v error -y -i "$tmp/o.wav" -c:a libopus -b:a 24k opus_mono.opus
