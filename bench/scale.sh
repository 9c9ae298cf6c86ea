#!/usr/bin/env bash
# A catalog of N items (default 100,000) through the embedded runtime on one machine: tiny WAV
# files (ITEM_MS, default 20 ms of 8 kHz mono) through a one-step graph (loudness), so the run
# measures what the runtime does per item (bus, ledger, blobs), not audio work. Prints:
#  - the first run's wall time and peak RSS (GNU time's maximum resident set size);
#  - the re-run of the done work: its wall time, net of the JVM's start (a run over an empty
#    folder), as a fraction of the first's net time (goal: under 2%);
#  - `wavegraph status` wall time (goal: seconds);
#  - each at N/10 as well, so growth with the catalog shows (times should grow about 10x, RSS not).
#
#   bench/scale.sh [N] [DIR]      DIR keeps the items (default target/scale-bench)
#
# Bounded: every command runs under `timeout` (LIMIT seconds, default 3600).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-100000}"
dir="$(mkdir -p "${2:-$root/target/scale-bench}" && cd "${2:-$root/target/scale-bench}" && pwd)"
limit="${LIMIT:-3600}"
jar="${WAVEGRAPH_JAR:-$root/graph-compiler/target/wavegraph.jar}"
if [ -z "${WAVEGRAPH_JAR:-}" ]; then
  (cd "$root" && mvn -B -q -pl graph-compiler -am package -DskipTests -Dmaven.install.skip=true >&2)
fi
command -v /usr/bin/time >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

cat >"$dir/graph.yaml" <<'EOF'
name: scale
storage: {input: gs://scale-in, output: gs://scale-out}
steps:
  loudness: {uses: loudness}
EOF

make_items() { # COUNT FOLDER: one WAV, hard-linked COUNT times into 100 sub-folders (FLAT=1: one folder)
  local count=$1 out=$2
  [ "$(find "$out" -name '*.wav' 2>/dev/null | wc -l)" -eq "$count" ] && return
  rm -rf "$out"; mkdir -p "$out"
  python3 - "$out" "$count" "${ITEM_MS:-20}" <<'PY'
import os, struct, sys, math
out, count, ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
frames = 8000 * ms // 1000
data = b"".join(struct.pack("<h", int(8000 * math.sin(i * 0.3))) for i in range(frames))
hdr = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16) \
    + b"data" + struct.pack("<I", len(data))
for i in range(count):
    if i % 50000 == 0:  # a file system allows at most ~65,000 links to one file
        src = os.path.join(out, f".one{i}.wav")
        open(src, "wb").write(hdr + data)
    d = out if os.environ.get("FLAT") else os.path.join(out, f"d{i % 100:02d}")
    os.makedirs(d, exist_ok=True)
    os.link(src, os.path.join(d, f"t{i:06d}.wav"))
for f in os.listdir(out):
    if f.startswith(".one"):
        os.unlink(os.path.join(out, f))
PY
}

run() { # LABEL COMMAND...: "wall_s peak_rss_kib"
  local label=$1 log="$dir/$1.time"
  shift
  timeout "$limit" /usr/bin/time -f '%e %M' -o "$log" "$@" >"$dir/$label.out" 2>"$dir/$label.err" || true
  tail -1 "$log"
}
# The heap is capped (HEAP, default 512m) so the peak RSS says whether memory stays bounded: an
# uncapped JVM grows its heap to a quarter of the machine before it collects in earnest.
# shellcheck disable=SC2206
wg=(java -Xmx"${HEAP:-512m}" ${WAVEGRAPH_JAVA_OPTS:-} -cp "$jar" io.wavegraph.cli.Main)

mkdir -p "$dir/empty"
printf "| %8s | %10s | %9s | %10s | %10s | %8s | %9s |\n" items "first (s)" "RSS MiB" "re-run (s)" "re-run net" "of first" "status (s)"
printf "| %8s | %10s | %9s | %10s | %10s | %8s | %9s |\n" --- --- --- --- --- --- ---
for count in $((n / 10)) "$n"; do
  make_items "$count" "$dir/in-$count"
  rm -rf "$dir/work-$count"
  read -r jvm _ <<<"$(run "jvm-$count" "${wg[@]}" run "$dir/graph.yaml" --input "$dir/empty" --workdir "$dir/work-empty-$count")"
  read -r first rss <<<"$(run "first-$count" "${wg[@]}" run "$dir/graph.yaml" --input "$dir/in-$count" --workdir "$dir/work-$count" --threads 2)"
  read -r again _ <<<"$(run "again-$count" "${wg[@]}" run "$dir/graph.yaml" --input "$dir/in-$count" --workdir "$dir/work-$count" --threads 2)"
  read -r status _ <<<"$(run "status-$count" "${wg[@]}" status "$dir/graph.yaml" --workdir "$dir/work-$count")"
  python3 - "$count" "$first" "$rss" "$again" "$jvm" "$status" <<'PY'
import sys
count, first, rss, again, jvm, status = int(sys.argv[1]), *map(float, sys.argv[2:])
net = (again - jvm) / max(first - jvm, 1e-9)
print(f"| {count:8d} | {first:10.1f} | {rss / 1024:9.0f} | {again:10.1f} | {again - jvm:10.1f} | {100 * net:7.2f}% | {status:9.1f} |")
PY
  grep -h 'item(s) in' "$dir/first-$count.err" "$dir/again-$count.err" 2>/dev/null | sed 's/^/    /' >&2 || true
done
