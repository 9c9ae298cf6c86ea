#!/usr/bin/env bash
# Wavegraph beside ffmpeg (loudness) and aubio (tempo) on real music: the soundtracks that two
# free games ship in Debian (frozen-bubble-data, extremetuxracer-data; Ogg Vorbis, GPL), installed
# from Debian's packages when missing. Prints per-track values and the differences; real music has
# no ground-truth tempo, so tempo agreement is shown as ours / aubio's and their ratio.
#
#   bench/real-music.sh [FILE...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v aubiotrack >/dev/null || need+=(aubio-tools)
[ -d /usr/share/games/frozen-bubble/snd ] || need+=(frozen-bubble-data)
[ -d /usr/share/games/etr/music ] || need+=(extremetuxracer-data)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(/usr/share/games/frozen-bubble/snd/frozen-mainzik-1p.ogg /usr/share/games/frozen-bubble/snd/frozen-mainzik-2p.ogg
         /usr/share/games/frozen-bubble/snd/introzik.ogg /usr/share/games/etr/music/*.ogg)
fi
wg="$root/scripts/wavegraph"
"$wg" --version >/dev/null
printf "| %-26s | %8s | %8s | %6s | %8s | %8s | %6s |\n" track "I wg" "I ffmpeg" "diff" "BPM wg" "BPM aubio" "ratio"
printf "| %-26s | %8s | %8s | %6s | %8s | %8s | %6s |\n" --- --- --- --- --- --- ---
for f in "${files[@]}"; do
  ours=$("$wg" audio loudness "$f" --json)
  ff=$(ffmpeg -nostdin -hide_banner -i "$f" -af ebur128 -f null - 2>&1 | sed -n '/Summary:/,$p')
  tempo=$("$wg" audio tempo "$f" --json)
  aubio=$(aubiotrack -i "$f" 2>/dev/null | tr '\n' ' ')
  python3 - "$ours" "$ff" "$tempo" "$aubio" "$(basename "$f")" <<'PY'
import json, re, statistics, sys
o = json.loads(sys.argv[1]); ff = sys.argv[2]; t = json.loads(sys.argv[3])
beats = [float(x) for x in sys.argv[4].split()]
i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", ff).group(1))
ibi = [b - a for a, b in zip(beats, beats[1:])]
ab = 60 / statistics.median(ibi) if ibi else float("nan")
ob = t["bpm"] or float("nan")
print(f"| {sys.argv[5][:26]:26s} | {o['integrated_lufs']:8.2f} | {i:8.1f} | {o['integrated_lufs'] - i:+6.2f} | {ob:8.2f} | {ab:8.2f} | {ob / ab:6.3f} |")
PY
done
