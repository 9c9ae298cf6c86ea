#!/usr/bin/env bash
# Quality and speed of the `separate` step on mixtures of known sources: synthetic chords + drum
# hits (HPSS), and an espeak-ng voice over a repeating synthetic loop and over a looped excerpt of
# real music when one is installed (REPET-SIM). Prints the SDR and SI-SDR of every stem, the SDR
# of the unprocessed mixture as the baseline, and the speed in x real time.
#
#   bench/separation-quality.sh [WORK_DIR]        (default: a fresh temporary folder, kept)
#
# Needs: java, mvn (to build), python3 with numpy and scipy, espeak-ng and sox (for the voice
# cases; skipped without them), ffmpeg and /usr/share/games/frozen-bubble (for the real loop).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d -t separation-XXXX)}"
mkdir -p "$work/out"
jar="$root/bench/jmh/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/shared-lib/audio/src/main" "$root/bench/jmh/src" -newer "$jar" -type f -print -quit)" ]; then
  echo "building $jar" >&2
  mvn -B -q -f "$root/pom.xml" -pl shared-lib/audio,bench/jmh -am -DskipTests -Dmaven.install.skip=true package >&2
fi

if command -v espeak-ng >/dev/null && command -v sox >/dev/null; then
  espeak-ng -v en-us -s 140 -w "$work/voice_raw.wav" \
    "Separation by repetition. The music behind this voice repeats every two seconds, while the words never do. \
A median over the frames that sound alike keeps the loop and leaves the voice out. \
This sentence is here to make the mixture long enough to measure."
  sox -q "$work/voice_raw.wav" -r 44100 -c 1 -b 32 -e floating-point "$work/voice.wav"
else
  echo "espeak-ng or sox missing: the voice cases are skipped" >&2
fi
real=/usr/share/games/frozen-bubble/snd/introzik.ogg
if command -v ffmpeg >/dev/null && [ -f "$real" ]; then
  # One four-second excerpt of real music, looped by the helper: a real accompaniment that repeats.
  ffmpeg -nostdin -loglevel error -y -ss 8 -t 4 -i "$real" -ar 44100 -ac 2 -c:a pcm_f32le "$work/real_loop.wav"
fi
python3 "$root/bench/separation_quality.py" make "$work"

mixes=("$work"/*.mix.wav)
java_run() { java -cp "$jar" io.wavegraph.bench.SeparateFiles "$@"; }
echo "## speed (separate, method both, fft 2048, hop 512; $(nproc) cores)"
echo
echo "| mixture | audio s | fresh JVM, wall s (incl. start) | x real time | first run in JVM s | x real time | warm run s | x real time |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for m in "${mixes[@]}"; do
  t0=$(date +%s.%N)
  line=$(java_run --runs 2 "$work/out" "$m")
  t1=$(date +%s.%N)
  # The fresh JVM ran it twice: its wall time less the warm run is the cost of one separation with start-up.
  python3 - "$line" "$t0" "$t1" <<'PY'
import sys
f = dict(kv.split("=") for kv in sys.argv[1].split())
audio, first, warm = float(f["audio_s"]), float(f["first_s"]), float(f["warm_s"])
cold = float(sys.argv[3]) - float(sys.argv[2]) - warm
print("| %s | %.1f | %.2f | %.1f | %.2f | %.1f | %.2f | %.1f |" % (f["file"], audio, cold, audio / cold, first, audio / first, warm, audio / warm))
PY
done
echo
echo "## quality"
echo
python3 "$root/bench/separation_quality.py" score "$work"
echo
echo "(inputs and stems in $work)"
