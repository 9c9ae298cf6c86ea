#!/usr/bin/env bash
# Catalog-shaped throughput on one core: Wavegraph's `run --threads 1` over a folder of real music
# against a shell loop of the reference tool over the same files, printed as ratios (Wavegraph's
# speed over the loop's; above 1.0 Wavegraph is faster). Everything runs pinned to CPU 0
# (taskset), one row after the other, in one run.
#
#   bench/catalog.sh [DIR]          DIR keeps the made tracks between runs (default target/catalog-bench)
#
# Tracks are cut from the soundtracks two free games ship in Debian (frozen-bubble-data,
# extremetuxracer-data; Ogg Vorbis, GPL), as bench/real-music.sh uses: SHORT (default 116) tracks
# of 30 s and LONG (default 20) of 4 minutes, 44.1 kHz stereo 16-bit WAV, each from a different
# offset, plus a FLAC copy of the 30 s set. Missing tools come from Debian's packages (sox,
# ffmpeg, aubio-tools, flac). ROWS=downsample,loudness,... runs only those rows.
#
# Loudness: ffmpeg is run with ebur128=peak=true, as the loudness step measures the true peak too.
#
# Goal (issue 12): downsample >= 1.0x its sox loop, every other row >= 2.0x. Wall times include
# Wavegraph's JVM start, its ledger and its output checksums: what a user waits for.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mkdir -p "${1:-$root/target/catalog-bench}" && cd "${1:-$root/target/catalog-bench}" && pwd)"
short_n="${SHORT:-116}"
long_n="${LONG:-20}"
rows="${ROWS:-downsample,loudness,tempo,flac}"

need=()
command -v sox >/dev/null || need+=(sox)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v aubiotrack >/dev/null || need+=(aubio-tools)
command -v flac >/dev/null || need+=(flac)
command -v taskset >/dev/null || need+=(util-linux)
[ -d /usr/share/games/frozen-bubble/snd ] || need+=(frozen-bubble-data)
[ -d /usr/share/games/etr/music ] || need+=(extremetuxracer-data)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- the tracks --------------------------------------------------------------------------------
music=(/usr/share/games/frozen-bubble/snd/frozen-mainzik-1p.ogg /usr/share/games/frozen-bubble/snd/frozen-mainzik-2p.ogg
       /usr/share/games/frozen-bubble/snd/introzik.ogg /usr/share/games/etr/music/*.ogg)
all="$dir/all.wav"
if [ ! -f "$all" ]; then
  echo "making the source: every soundtrack, 44.1 kHz stereo, end to end" >&2
  parts=()
  for m in "${music[@]}"; do
    parts+=("$dir/part-${#parts[@]}.wav")
    sox "$m" -r 44100 -c 2 -b 16 "${parts[-1]}" rate -v
  done
  sox "${parts[@]}" "$all"
  rm -f "${parts[@]}"
fi
total=$(soxi -D "$all" | cut -d. -f1)
make_set() { # NAME COUNT SECONDS
  local out="$dir/$1" n=$2 len=$3
  [ "$(find "$out" -name '*.wav' 2>/dev/null | wc -l)" -ge "$n" ] && return
  echo "making $n tracks of $len s in $out" >&2
  mkdir -p "$out"
  for i in $(seq 1 "$n"); do
    # Offsets walk through the music by a prime stride, so tracks differ; wraps at the end.
    local off=$(( (i * 37) % (total - len) ))
    sox "$all" "$out/t$(printf %04d "$i").wav" trim "$off" "$len"
  done
}
make_set short "$short_n" 30
make_set long "$long_n" 240
if [ "$(find "$dir/flac" -name '*.flac' 2>/dev/null | wc -l)" -lt "$short_n" ]; then
  mkdir -p "$dir/flac"
  for f in "$dir"/short/*.wav; do flac -s -f -5 -o "$dir/flac/$(basename "${f%.wav}").flac" "$f"; done
fi

# --- Wavegraph ---------------------------------------------------------------------------------
jar="${WAVEGRAPH_JAR:-$root/graph-compiler/target/wavegraph.jar}"
if [ -z "${WAVEGRAPH_JAR:-}" ]; then
  # package, not install: leaves ~/.m2 alone.
  (cd "$root" && mvn -B -q -pl graph-compiler -am package -DskipTests -Dmaven.install.skip=true >&2)
fi
graphs="$dir/graphs"
mkdir -p "$graphs"
graph() { # NAME STEP PARAMS
  cat >"$graphs/$1.yaml" <<EOF
name: bench-$1
storage: {input: gs://bench-in, output: gs://bench-out}
steps:
  $2:
    uses: $2
    params: $3
EOF
}
graph downsample downsample '{rate: 22050, channels: 2, format: float32}'
graph loudness loudness '{}'
graph tempo tempo '{}'
# FLAC in, the same WAV out: what `flac -d` does (no resampling, no mixing, no dither).
graph flac downsample '{rate: 44100, channels: 2, format: pcm16, dither: false}'

pin=(taskset -c 0)
measure() { # COMMAND...: "wall cpu" seconds (cpu: user + system of it and its children)
  local t
  t=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }; } 2>&1 )
  awk '{printf "%.3f %.3f", $1, $2 + $3}' <<<"$t"
}
wavegraph() { # GRAPH INPUT
  local work
  work="$(mktemp -d "$dir/work.XXXX")"
  local rc=0
  "${pin[@]}" java ${WAVEGRAPH_JAVA_OPTS:-} -cp "$jar" io.wavegraph.cli.Main run "$graphs/$1.yaml" --input "$2" \
    --workdir "$work" --threads 1 || rc=$?
  rm -rf "$work"
  return $rc
}
out="$dir/ref-out"
sox_loop() { mkdir -p "$out"; for f in "$1"/*.wav; do "${pin[@]}" sox "$f" -e floating-point -b 32 "$out/x.wav" rate -v 22050; done; }
# peak=true: the loudness step reports the true peak too, so ffmpeg is asked for the same work.
ffmpeg_loop() { for f in "$1"/*.wav; do "${pin[@]}" ffmpeg -nostdin -hide_banner -i "$f" -af ebur128=peak=true -f null - ; done; }
aubio_loop() { for f in "$1"/*.wav; do "${pin[@]}" aubiotrack -i "$f" ; done; }
flac_loop() { mkdir -p "$out"; for f in "$1"/*.flac; do "${pin[@]}" flac -s -d -f -o "$out/x.wav" "$f"; done; }
export -f sox_loop ffmpeg_loop aubio_loop flac_loop

# Two ratios: wall time (what a user waits for) and CPU time (user + system), which is what to
# read on a shared machine, where other work takes the pinned core for part of the wall time.
printf "| %-10s | %-10s | %8s | %8s | %7s | %8s | %8s | %7s | %5s |\n" row tracks "wg wall" "ref wall" "wall x" "wg cpu" "ref cpu" "cpu x" goal
printf "| %-10s | %-10s | %8s | %8s | %7s | %8s | %8s | %7s | %5s |\n" --- --- --- --- --- --- --- --- ---
row() { # NAME SET GRAPH LOOP GOAL
  local set="$dir/$2" count w r
  count=$(find "$set" -maxdepth 1 -type f | wc -l)
  read -r ww wc <<<"$(measure wavegraph "$3" "$set")"
  read -r rw rc <<<"$(measure "$4" "$set")"
  printf "| %-10s | %-10s | %7.2fs | %7.2fs | %6.2fx | %7.2fs | %7.2fs | %6.2fx | %4.1fx |\n" "$1" \
    "$count x $( [ "$2" = long ] && echo 4m || echo 30s)" "$ww" "$rw" "$(echo "$rw / $ww" | bc -l)" \
    "$wc" "$rc" "$(echo "$rc / $wc" | bc -l)" "$5"
}
IFS=, read -ra want <<<"$rows"
for r in "${want[@]}"; do
  case "$r" in
    downsample) row downsample short downsample sox_loop 1.0; row downsample long downsample sox_loop 1.0 ;;
    loudness) row loudness short loudness ffmpeg_loop 2.0; row loudness long loudness ffmpeg_loop 2.0 ;;
    tempo) row tempo short tempo aubio_loop 2.0; row tempo long tempo aubio_loop 2.0 ;;
    flac) row flac flac flac flac_loop 2.0 ;;
    *) echo "unknown row $r" >&2; exit 2 ;;
  esac
done
rm -rf "$out"
