#!/usr/bin/env bash
# The separation kernels on the CPU (CpuSeparationKernels, every core) against the same kernels in
# CUDA (separation_kernels.cu), on the same input: 30 s of stereo at 44.1 kHz, fft 2048, hop 512.
#
# 1. The Java side times its kernels and writes the input signal and every kernel's outputs
#    (SeparationKernelTimes --dump cpu/).
# 2. The CUDA program reads that signal, and before each kernel that kernel's CPU inputs, times
#    its kernels and writes their outputs (separation_kernels --in cpu/ --dump gpu/): each GPU
#    kernel runs on exactly what its CPU twin had, so each is checked in isolation.
# 3. Prints one row per kernel: CPU ms, GPU ms without and with the host<->device copies, and the
#    speed-ups; then check_outputs.py's value-by-value comparison, PASS or FAIL per output.
#
# Needs java and python3 with numpy; builds the benchmark jar with mvn when it is missing, and the
# CUDA program with nvcc when nvcc is here (else give a built one in SEPARATION_GPU_BIN). Exits 1
# when an output fails the check. The dumps (about 0.5 GB) go to WORK_DIR, else a temporary
# directory removed at the end.
#
#   bench/gpu/compare.sh [REPS [WORK_DIR]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
reps="${1:-10}"
jar="$root/bench/jmh/target/benchmarks.jar"
bin="${SEPARATION_GPU_BIN:-$root/bench/gpu/build/separation_kernels}"
if [ -n "${2:-}" ]; then
  out="$2"
  mkdir -p "$out"
else
  out="$(mktemp -d)"
  trap 'rm -rf "$out"' EXIT
fi
if [ ! -f "$jar" ]; then
  mvn -B -q -f "$root/pom.xml" -pl shared-lib/audio,bench/jmh -am -DskipTests -Dmaven.install.skip=true package >&2
fi
if command -v nvcc >/dev/null && { [ ! -x "$bin" ] || [ "$root/bench/gpu/separation_kernels.cu" -nt "$bin" ]; }; then
  mkdir -p "$(dirname "$bin")"
  nvcc -O3 -arch=sm_90 -o "$bin" "$root/bench/gpu/separation_kernels.cu"
fi
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null | sed 's/^/# GPU: /' || true
rm -rf "$out/cpu" "$out/gpu"
timeout 300 java -cp "$jar" io.wavegraph.bench.SeparationKernelTimes "$reps" --dump "$out/cpu" | tee "$out/cpu.txt"
timeout 120 "$bin" "$reps" --in "$out/cpu" --dump "$out/gpu" | tee "$out/gpu.txt"
echo
python3 - "$out/cpu.txt" "$out/gpu.txt" <<'PY'
import sys

def lines(path):
    rows = {}
    for line in open(path):
        if line.startswith("kernel="):
            f = dict(kv.split("=") for kv in line.split())
            name = f.pop("kernel")
            rows[name] = {k: float(v) for k, v in f.items()}
    return rows

cpu, gpu = lines(sys.argv[1]), lines(sys.argv[2])
print("| kernel | CPU ms | GPU ms | GPU ms with copies | CPU / GPU | CPU / GPU with copies |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
total = [0.0, 0.0, 0.0]
for name, c in cpu.items():
    g = gpu.get(name)
    if g is None:
        continue
    a, b, w = c["cpu_ms"], g["gpu_ms"], g["gpu_ms_with_copies"]
    total = [total[0] + a, total[1] + b, total[2] + w]
    print("| %s | %.2f | %.3f | %.3f | %.0fx | %.1fx |" % (name, a, b, w, a / b, a / w))
print("| all | %.2f | %.3f | %.3f | %.0fx | %.1fx |" % (total[0], total[1], total[2], total[0] / total[1], total[0] / total[2]))
PY
echo
python3 "$root/bench/gpu/check_outputs.py" "$out/cpu" "$out/gpu"
