#!/usr/bin/env bash
# Wavegraph's audio commands beside the reference tools, on the same files, in one run, on one
# core (taskset), printing CPU time and speed as ratios. Installs the reference tools from
# Debian's packages when they are missing.
#
#   bench/audio-vs-reference.sh [MINUTES=10]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-10}"
need=()
for t in sox:sox ffmpeg:ffmpeg flac:flac aubiotrack:aubio-tools; do command -v "${t%%:*}" >/dev/null || need+=("${t##*:}"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
"$root/scripts/wavegraph" --version >/dev/null   # builds on first use
jar="$root/graph-compiler/target/wavegraph.jar"
wg=(java -XX:SharedArchiveFile="$root/graph-compiler/target/wavegraph.jsa" -Xshare:auto -Xlog:cds=off,cds+dynamic=off -cp "$jar" io.wavegraph.cli.Main)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# One long stereo 44.1 kHz track of synthetic music (distinct content throughout).
"${wg[@]}" audio synth "$tmp/src" --items 1 --seconds "$((minutes * 60))"
in="$tmp/src/item-0000.wav"
flac -s -5 -o "$tmp/in.flac" "$in"
seconds=$((minutes * 60))

cpu() { # prints user+sys seconds of the command, on core 0
  local t0 t1
  /usr/bin/time -f "%U %S" -o "$tmp/time" taskset -c 0 "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  awk '{print $1 + $2}' "$tmp/time"
}

row() { # label, reference cpu, wavegraph cpu
  awk -v l="$1" -v r="$2" -v w="$3" -v s="$seconds" \
    'BEGIN { printf "| %-28s | %8.2f s %7.0fx | %8.2f s %7.0fx | %6.2f |\n", l, r, s / r, w, s / w, r / w }'
}

echo "one core, ${minutes} min of 44.1 kHz stereo; CPU = user + sys; speed = audio seconds per CPU second"
echo "| task                         | reference               | wavegraph               | wavegraph speed / reference |"
echo "| ---                          | ---                     | ---                     | ---    |"
r=$(cpu sox "$in" -e floating-point -b 32 "$tmp/sox22.wav" rate -v 22050)
w=$(cpu "${wg[@]}" audio resample "$in" "$tmp/wg22.wav" --rate 22050 --format f32)
row "resample ->22.05k (sox -v)" "$r" "$w"
r=$(cpu sox "$in" -e floating-point -b 32 "$tmp/sox16.wav" rate -v 16000)
w=$(cpu "${wg[@]}" audio resample "$in" "$tmp/wg16.wav" --rate 16000 --format f32)
row "resample ->16k (sox -v)" "$r" "$w"
r=$(cpu ffmpeg -nostdin -v error -i "$in" -af ebur128=peak=true -f null -)
w=$(cpu "${wg[@]}" audio loudness "$in" --json)
row "loudness (ffmpeg ebur128)" "$r" "$w"
r=$(cpu flac -s -d -f -o "$tmp/dec.wav" "$tmp/in.flac")
w=$(cpu "${wg[@]}" audio resample "$tmp/in.flac" "$tmp/dec2.wav" --rate 44100 --format s16)
row "decode FLAC to WAV (flac -d)" "$r" "$w"
r=$(cpu aubiotrack -i "$in")
w=$(cpu "${wg[@]}" audio tempo "$in" --json)
row "tempo + beats (aubiotrack)" "$r" "$w"
echo "(wavegraph times include the JVM's start and JIT compilation, about 0.5-1 s of CPU)"
