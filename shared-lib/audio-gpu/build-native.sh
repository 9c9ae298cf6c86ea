#!/usr/bin/env bash
# Builds target/native/libwavegraph_separation_gpu.so, the CUDA side of GpuSeparationKernels.
# Needs nvcc (CUDA 12 or later) and a JDK (for jni.h); the CUDA runtime is linked statically, so
# the library needs only the NVIDIA driver where it runs. ARCH overrides the GPU architecture.
set -euo pipefail
cd "$(dirname "$0")"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
arch="${ARCH:-sm_90}"
mkdir -p target/native
"${NVCC:-nvcc}" -O3 -std=c++17 -arch="$arch" -shared -Xcompiler -fPIC \
  -I"$jdk/include" -I"$jdk/include/linux" \
  -o target/native/libwavegraph_separation_gpu.so src/main/cuda/separation_jni.cu
echo "built $(pwd)/target/native/libwavegraph_separation_gpu.so"
