#!/usr/bin/env bash
# The chaos suite, long: runs GRAPH with every function step in its own instance process on the
# Pub/Sub and Firestore emulators and the test kit's Cloud Storage fake, kills instances with
# SIGKILL and restarts them, delivers duplicates, injects Firestore and Cloud Storage faults, one
# poison message and one item past its timeout; then checks that no step-item is stranded, no step
# body ran twice, every output equals a clean embedded run, and only the poison was dead-lettered.
# The last line printed is one JSON object; the exit status is 0 only when the invariants hold.
#
#   bench/chaos.sh GRAPH INPUT_DIR [--kills N] [--seed S] [--items N] [--uploads SECONDS] [--settle SECONDS]
#                  [--push emulator|relay]
#
# --push relay (the default): the harness pushes (over pull subscriptions, with the same retry and dead-letter
# policy) instead of the emulator's push subscriptions (--push emulator), which lose some messages whose pushes
# failed while an instance was down (README, "Chaos suite").
# INPUT_DIR that does not exist is filled with N (default 200) synthetic one-second tracks.
# Graphs made for it: bench/chaos/chain.yaml, bench/chaos/fanjoin.yaml. See README "Chaos suite".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { sed -n 9,16p "$0" >&2; exit 2; }
graph="$(realpath -m "$1")"; input="$(realpath -m "$2")"; shift 2
kills=20 seed=1 items=200 uploads=60 settle=180 push=relay
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills="$2" ;; --seed) seed="$2" ;; --items) items="$2" ;;
    --uploads) uploads="$2" ;; --settle) settle="$2" ;; --push) push="$2" ;;
    *) echo "chaos.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ -f "$graph" ] || { echo "chaos.sh: no graph file $graph" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/wavegraph-chaos-XXXXXX")"
out="$work/result.txt"
echo "chaos.sh: work directory $work (instance logs under logs/)" >&2
# A reactor build of a copy of the tree (nothing is installed into ~/.m2; a build in the checkout
# while the suite runs cannot pull classes from under its instance processes). ChaosBench runs
# only with these properties.
mkdir -p "$work/src"
tar -C "$root" --exclude=.git --exclude=node_modules --exclude=.wavegraph -cf - . | tar -C "$work/src" -xf -
mvn -B -o -q -f "$work/src/pom.xml" -pl graph-compiler -am test -Dtest=ChaosBench \
  -Dsurefire.failIfNoSpecifiedTests=false -DfailIfNoTests=false \
  -Dwavegraph.chaos.graph="$graph" -Dwavegraph.chaos.input="$input" -Dwavegraph.chaos.kills="$kills" \
  -Dwavegraph.chaos.seed="$seed" -Dwavegraph.chaos.items="$items" -Dwavegraph.chaos.uploads="$uploads" \
 -Dwavegraph.chaos.settle="$settle" -Dwavegraph.chaos.push="$push" -Dwavegraph.chaos.workdir="$work" -Dwavegraph.chaos.out="$out" \
  > "$work/maven.log" 2>&1 || true
if [ ! -s "$out" ]; then
  grep -E 'SKIPPED|ERROR|Exception' "$work/maven.log" | head -20 >&2 || true
  echo "chaos.sh: the run made no result; see $work/maven.log" >&2
  exit 1
fi
grep -h '^chaos:' "$work/maven.log" >&2 || true
head -n -1 "$out" >&2
tail -n 1 "$out"
tail -n 1 "$out" | grep -q '"stranded": 0, "double_runs": 0, "outputs_match": true' || exit 1
python3 - "$out" <<'PY' || exit 1
import json, sys
r = json.loads(open(sys.argv[1]).read().splitlines()[-1])
sys.exit(0 if r["dead_letters"] == 1 else 1)
PY
