#!/usr/bin/env bash
# Integrated loudness and loudness range from Wavegraph beside ffmpeg's ebur128 filter, on the
# example audio and synthetic music tracks; prints the differences (goal: within 0.1 LU).
#
#   bench/loudness-agreement.sh [DIR...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v ffmpeg >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null; }
wg="$root/scripts/wavegraph"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
  "$wg" audio synth "$tmp/synth" --items 6 --seconds 60
  dirs=("$root/examples/audio" "$tmp/synth")
fi
printf "| %-28s | %10s | %10s | %7s | %8s | %8s | %7s |\n" file "I wavegraph" "I ffmpeg" "diff" "LRA wg" "LRA ff" "diff"
worst=0
while IFS= read -r f; do
  ours=$("$wg" audio loudness "$f" --json)
  ff=$(ffmpeg -nostdin -hide_banner -i "$f" -af ebur128 -f null - 2>&1 | sed -n '/Summary:/,$p')
  line=$(python3 - "$ours" "$ff" "$(basename "$f")" <<'PY'
import json, re, sys
o = json.loads(sys.argv[1]); ff = sys.argv[2]
i = float(re.search(r"I:\s+(-?[\d.]+) LUFS", ff).group(1))
lra = float(re.search(r"LRA:\s+(-?[\d.]+) LU", ff).group(1))
di = o["integrated_lufs"] - i; dl = o["range_lu"] - lra
print(f"| {sys.argv[3][:28]:28s} | {o['integrated_lufs']:10.2f} | {i:10.1f} | {di:+7.2f} | {o['range_lu']:8.2f} | {lra:8.1f} | {dl:+7.2f} | {abs(di):.3f}")
PY
)
  echo "${line% *}"
  d="${line##* }"
  worst=$(python3 -c "print(max($worst, $d))")
done < <(find "${dirs[@]}" -type f \( -name '*.wav' -o -name '*.flac' \) | sort)
echo "largest |I difference|: $worst LU (ffmpeg prints I to 0.1 LU, so differences up to 0.05 are rounding)"
