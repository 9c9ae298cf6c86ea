#!/usr/bin/env bash
# Builds target/native/libwavegraph_separation_gpu.so, the CUDA side of GpuSeparationKernels.
# Needs nvcc (CUDA 12 or later) and a JDK (for jni.h); the CUDA runtime is linked statically, so
# the library needs only the NVIDIA driver where it runs. It holds machine code for the L4 that
# Cloud Run lends (sm_89) and the H100/H200 (sm_90), and PTX for later cards. ARCHS overrides the
# list (e.g. ARCHS="80" for an A100).
set -euo pipefail
cd "$(dirname "$0")"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
gencode=()
for a in ${ARCHS:-89 90}; do gencode+=(-gencode "arch=compute_$a,code=sm_$a"); done
last="${ARCHS:-89 90}"; last="${last##* }"
gencode+=(-gencode "arch=compute_$last,code=compute_$last")
mkdir -p target/native
"${NVCC:-nvcc}" -O3 -std=c++17 "${gencode[@]}" -shared -Xcompiler -fPIC \
  -I"$jdk/include" -I"$jdk/include/linux" \
  -o target/native/libwavegraph_separation_gpu.so src/main/cuda/separation_jni.cu
echo "built $(pwd)/target/native/libwavegraph_separation_gpu.so"
