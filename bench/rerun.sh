#!/usr/bin/env bash
# The done-skip, measured: the example graph over N synthetic tracks, run twice in one work
# directory. The second run must process nothing; its wall time is printed as a ratio of the
# first's (the goal: under 0.1 for 50 or more items). Whole commands are timed, JVM start included.
#
#   bench/rerun.sh [ITEMS=60] [SECONDS_PER_TRACK=60]   (catalog tracks run 3-4 minutes; 60 s is short)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
items="${1:-60}"
seconds="${2:-60}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
wg="$root/scripts/wavegraph"

"$wg" audio synth "$tmp/in" --items "$items" --seconds "$seconds"
now() { date +%s.%N; }

t0=$(now); "$wg" run "$root/examples/catalog.yaml" --input "$tmp/in" --workdir "$tmp/w" --json >"$tmp/first.json" 2>/dev/null; t1=$(now)
"$wg" run "$root/examples/catalog.yaml" --input "$tmp/in" --workdir "$tmp/w" --json >"$tmp/second.json" 2>/dev/null; t2=$(now)

python3 - "$tmp/first.json" "$tmp/second.json" "$t0" "$t1" "$t2" "$items" "$seconds" <<'PY'
import json, sys
first, second = (json.load(open(p)) for p in sys.argv[1:3])
t0, t1, t2 = map(float, sys.argv[3:6])
items, seconds = int(sys.argv[6]), float(sys.argv[7])
a, b = t1 - t0, t2 - t1
for name, run in (("first", first), ("second", second)):
    print(f"{name:6s} run: " + ", ".join(f"{s} {c['processed']}p/{c['skipped']}s/{c['failed']}f" for s, c in run["steps"].items()))
print(f"items {items} x {seconds:g} s of audio")
print(f"first run  {a:7.2f} s  ({items * seconds / a:6.1f}x real time)")
print(f"second run {b:7.2f} s")
print(f"ratio second/first: {b / a:.3f}  (goal < 0.1)")
processed = sum(c["processed"] for c in second["steps"].values())
ok = processed == 0 and b / a < 0.1
print("result:", "PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
