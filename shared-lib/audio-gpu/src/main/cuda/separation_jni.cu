// The separation kernels of io.wavegraph.audio.separation.SeparationKernels in CUDA, behind the
// JNI methods of io.wavegraph.audio.separation.gpu.GpuSeparationKernels. Adapted from
// bench/gpu/separation_kernels.cu: the FFT stays at 2048 points (one 1024-thread block per frame,
// in shared memory); frames, hop, bins and the block of similarity rows are runtime values; the
// median kernels and the repeats are bounded by MAX_MEDIAN_KERNEL and MAX_REPEATS (the Java side
// refuses larger ones before calling here).
//
// Each call copies its inputs in and its outputs out; the device buffers are kept between calls
// and grown when a call needs more, under one mutex (one device, so calls are serialised anyway).
// A CUDA error becomes a java.lang.IllegalStateException.
//
// Build: shared-lib/audio-gpu/build-native.sh
#include <jni.h>
#include <cuda_runtime.h>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <string>

namespace {

constexpr int FFT = 2048;
constexpr int LOG_FFT = 11;
constexpr int BINS = FFT / 2 + 1;
constexpr int MAX_MEDIAN_KERNEL = 255;
constexpr int MAX_REPEATS = 256;

struct CudaError {
  std::string message;
};

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw CudaError{std::string(what) + ": " + cudaGetErrorString(e)};
}

#define CK(x) check((x), #x)

__device__ __forceinline__ float hann(int n) { return 0.5f - 0.5f * cospif(2.0f * n / FFT); }

// In-place radix-2 FFT of FFT points in shared memory, input in bit-reversed order; 1024 threads,
// one butterfly each per stage.
__device__ void fftShared(float2* s, float sign) {
  int i = threadIdx.x;
  for (int len = 2; len <= FFT; len <<= 1) {
    int half = len >> 1;
    int pos = i & (half - 1);
    int a = (i / half) * len + pos;
    int b = a + half;
    float sn, cs;
    sincospif(sign * 2.0f * pos / len, &sn, &cs);
    float2 u = s[a];
    float2 v = s[b];
    float2 w = make_float2(v.x * cs - v.y * sn, v.x * sn + v.y * cs);
    s[a] = make_float2(u.x + w.x, u.y + w.y);
    s[b] = make_float2(u.x - w.x, u.y - w.y);
    __syncthreads();
  }
}

__device__ __forceinline__ int rev(int n) { return __brev(n) >> (32 - LOG_FFT); }

// grid frames, 1024 threads: one centred, Hann-windowed frame each.
__global__ void stftKernel(const float* x, int samples, int hop, float* re, float* im) {
  __shared__ float2 s[FFT];
  int t = blockIdx.x;
  for (int n = threadIdx.x; n < FFT; n += blockDim.x) {
    long at = (long)t * hop - FFT / 2 + n;
    float v = at >= 0 && at < samples ? x[at] * hann(n) : 0.f;
    s[rev(n)] = make_float2(v, 0.f);
  }
  __syncthreads();
  fftShared(s, -1.f);
  size_t o = (size_t)t * BINS;
  for (int k = threadIdx.x; k < BINS; k += blockDim.x) {
    re[o + k] = s[k].x;
    im[o + k] = s[k].y;
  }
}

// grid frames: inverse transform, window, overlap-add.
__global__ void istftKernel(const float* re, const float* im, int hop, float* y, int samples) {
  __shared__ float2 s[FFT];
  int t = blockIdx.x;
  size_t o = (size_t)t * BINS;
  for (int k = threadIdx.x; k < BINS; k += blockDim.x) {
    bool edge = k == 0 || k == BINS - 1;
    float r = re[o + k], i = edge ? 0.f : im[o + k];
    s[rev(k)] = make_float2(r, i);
    if (!edge) s[rev(FFT - k)] = make_float2(r, -i);
  }
  __syncthreads();
  fftShared(s, 1.f);
  for (int n = threadIdx.x; n < FFT; n += blockDim.x) {
    long at = (long)t * hop - FFT / 2 + n;
    if (at >= 0 && at < samples) atomicAdd(&y[at], s[n].x / FFT * hann(n));
  }
}

__device__ __forceinline__ int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

__global__ void istftNormalise(float* y, int samples, int frames, int hop) {
  int n = blockIdx.x * blockDim.x + threadIdx.x;
  if (n >= samples) return;
  int hi = min(frames - 1, floorDiv(n + FFT / 2, hop));
  int lo = max(0, floorDiv(n + FFT / 2 - FFT, hop) + 1);
  float sum = 0.f;
  for (int t = lo; t <= hi; t++) {
    float w = hann(n + FFT / 2 - t * hop);
    sum += w * w;
  }
  if (sum > 1e-10f) y[n] /= sum;
}

__global__ void magnitudeKernel(const float* re, const float* im, float* mag, long n) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) mag[i] = sqrtf(re[i] * re[i] + im[i] * im[i]);
}

__device__ __forceinline__ int reflect(int i, int n) {
  int p = 2 * n;
  int j = ((i % p) + p) % p;
  return j < n ? j : p - 1 - j;
}

// Median of k values: a fully unrolled insertion sort in registers when K is known, else in local
// memory.
template <int K>
__device__ __forceinline__ float medianFixed(float* v) {
#pragma unroll
  for (int i = 1; i < K; i++) {
#pragma unroll
    for (int j = i; j > 0; j--) {
      float a = v[j - 1], b = v[j];
      v[j - 1] = fminf(a, b);
      v[j] = fmaxf(a, b);
    }
  }
  return v[K / 2];
}

__device__ float medianAny(float* v, int k) {
  for (int i = 1; i < k; i++) {
    float x = v[i];
    int j = i;
    while (j > 0 && v[j - 1] > x) v[j] = v[j - 1], j--;
    v[j] = x;
  }
  return v[k / 2];
}

// One thread per cell; neighbouring threads read neighbouring bins (coalesced). K = 0: any kernel.
template <int K>
__global__ void medianTimeKernel(const float* in, int frames, int bins, int kernel, float* out) {
  int k = blockIdx.x * blockDim.x + threadIdx.x, t = blockIdx.y;
  if (k >= bins) return;
  if (K > 0) {
    float v[K > 0 ? K : 1];
#pragma unroll
    for (int i = 0; i < K; i++) v[i] = in[(size_t)reflect(t + i - K / 2, frames) * bins + k];
    out[(size_t)t * bins + k] = medianFixed<K>(v);
  } else {
    float v[MAX_MEDIAN_KERNEL];
    for (int i = 0; i < kernel; i++) v[i] = in[(size_t)reflect(t + i - kernel / 2, frames) * bins + k];
    out[(size_t)t * bins + k] = medianAny(v, kernel);
  }
}

template <int K>
__global__ void medianFreqKernel(const float* in, int frames, int bins, int kernel, float* out) {
  int k = blockIdx.x * blockDim.x + threadIdx.x, t = blockIdx.y;
  if (k >= bins) return;
  const float* m = in + (size_t)t * bins;
  if (K > 0) {
    float v[K > 0 ? K : 1];
#pragma unroll
    for (int i = 0; i < K; i++) v[i] = m[reflect(k + i - K / 2, bins)];
    out[(size_t)t * bins + k] = medianFixed<K>(v);
  } else {
    float v[MAX_MEDIAN_KERNEL];
    for (int i = 0; i < kernel; i++) v[i] = m[reflect(k + i - kernel / 2, bins)];
    out[(size_t)t * bins + k] = medianAny(v, kernel);
  }
}

// Unit-normalised frames (the norm summed in double, as the CPU does).
__global__ void unitFramesKernel(const float* mag, int bins, float* unit) {
  __shared__ double part[256];
  int t = blockIdx.x;
  const float* m = mag + (size_t)t * bins;
  double sum = 0;
  for (int k = threadIdx.x; k < bins; k += blockDim.x) sum += (double)m[k] * m[k];
  part[threadIdx.x] = sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) part[threadIdx.x] += part[threadIdx.x + s];
    __syncthreads();
  }
  float inv = part[0] > 0 ? (float)(1 / sqrt(part[0])) : 0.f;
  for (int k = threadIdx.x; k < bins; k += blockDim.x) unit[(size_t)t * bins + k] = m[k] * inv;
}

// Rows [rowStart, rowStart + rows) of U U^T, 64x64 output tiles, 256 threads of 4x4 outputs each.
constexpr int TS = 64, TK = 16;
__global__ void similarityKernel(const float* unit, int frames, int bins, int rowStart, int rows, float* sim) {
  __shared__ float a[TK][TS + 1];
  __shared__ float b[TK][TS + 1];
  int i0 = blockIdx.y * TS, j0 = blockIdx.x * TS;  // i: row of the block, j: frame
  int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  float acc[4][4] = {};
  for (int k0 = 0; k0 < bins; k0 += TK) {
    for (int l = threadIdx.x; l < TS * TK; l += 256) {
      int r = l / TK, k = l % TK;
      int gi = i0 + r, gj = j0 + r, gk = k0 + k;
      a[k][r] = gi < rows && gk < bins ? unit[(size_t)(rowStart + gi) * bins + gk] : 0.f;
      b[k][r] = gj < frames && gk < bins ? unit[(size_t)gj * bins + gk] : 0.f;
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < TK; k++) {
      float av[4], bv[4];
#pragma unroll
      for (int q = 0; q < 4; q++) {
        av[q] = a[k][ty + 16 * q];
        bv[q] = b[k][tx + 16 * q];
      }
#pragma unroll
      for (int p = 0; p < 4; p++)
#pragma unroll
        for (int q = 0; q < 4; q++) acc[p][q] += av[p] * bv[q];
    }
    __syncthreads();
  }
  for (int p = 0; p < 4; p++)
    for (int q = 0; q < 4; q++) {
      int i = i0 + ty + 16 * p, j = j0 + tx + 16 * q;
      if (i < rows && j < frames) sim[(size_t)i * frames + j] = acc[p][q];
    }
}

// One block per row: REPET-SIM's peak picking, the most similar first (the lower frame among
// equals), at least minDistance apart. cand is the row's candidates (-1: none), in shared memory
// when it fits, else in global scratch.
template <bool SHARED>
__global__ void repeatingFramesKernel(const float* sim, int frames, int rowStart, int maxRepeats, int minDistance,
                                      float minSimilarity, float* scratch, int* repeats, int* counts) {
  extern __shared__ float sharedCand[];
  __shared__ float bestV[32];
  __shared__ int bestJ[32];
  __shared__ int count;
  int r = blockIdx.x;
  int self = rowStart + r;
  float* cand = SHARED ? sharedCand : scratch + (size_t)r * frames;
  const float* row = sim + (size_t)r * frames;
  for (int j = threadIdx.x; j < frames; j += blockDim.x) {
    float v = row[j];
    bool peak = (j == 0 || !(row[j - 1] > v)) && (j == frames - 1 || !(row[j + 1] > v));
    bool near = abs(j - self) < minDistance;
    cand[j] = j != self && !near && peak && v > 0.f && v >= minSimilarity ? v : -1.f;
  }
  if (threadIdx.x == 0) {
    repeats[(size_t)r * maxRepeats] = self;
    count = 1;
  }
  __syncthreads();
  while (count < maxRepeats) {
    float v = -1.f;
    int jb = frames;
    for (int j = threadIdx.x; j < frames; j += blockDim.x)
      if (cand[j] > v) v = cand[j], jb = j;
    for (int off = 16; off > 0; off >>= 1) {
      float ov = __shfl_down_sync(0xffffffff, v, off);
      int oj = __shfl_down_sync(0xffffffff, jb, off);
      if (ov > v || (ov == v && oj < jb)) v = ov, jb = oj;
    }
    if (threadIdx.x % 32 == 0) bestV[threadIdx.x / 32] = v, bestJ[threadIdx.x / 32] = jb;
    __syncthreads();
    if (threadIdx.x == 0) {
      for (int w = 1; w < blockDim.x / 32; w++)
        if (bestV[w] > bestV[0] || (bestV[w] == bestV[0] && bestJ[w] < bestJ[0])) bestV[0] = bestV[w], bestJ[0] = bestJ[w];
    }
    __syncthreads();
    float bv = bestV[0];
    int bj = bestJ[0];
    if (bv < 0.f) break;
    for (int j = max(0, bj - minDistance + 1) + threadIdx.x; j <= min(frames - 1, bj + minDistance - 1); j += blockDim.x)
      cand[j] = -1.f;
    if (threadIdx.x == 0) {
      cand[bj] = -1.f;
      repeats[(size_t)r * maxRepeats + count] = bj;
      count++;
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) counts[r] = count;
}

// grid (bin blocks, rows): median over the repeating frames, capped at the mixture.
__global__ void repeatingModelKernel(const float* mag, int bins, int rowStart, int maxRepeats, const int* repeats,
                                     const int* counts, float* model) {
  int k = blockIdx.x * blockDim.x + threadIdx.x, r = blockIdx.y;
  if (k >= bins) return;
  int t = rowStart + r;
  int n = counts[r];
  float v[MAX_REPEATS];
  for (int l = 0; l < n; l++) {
    float x = mag[(size_t)repeats[(size_t)r * maxRepeats + l] * bins + k];
    int j = l;
    while (j > 0 && v[j - 1] > x) v[j] = v[j - 1], j--;
    v[j] = x;
  }
  float med = 0.5f * (v[(n - 1) / 2] + v[n / 2]);
  model[(size_t)r * bins + k] = fminf(mag[(size_t)t * bins + k], med);
}

__global__ void softMaskKernel(const float* target, const float* other, float power, float* mask, long n) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float t = target[i], o = other[i], z = fmaxf(t, o);
  if (!(z > 1.17549435e-38f)) {
    mask[i] = 0.5f;
    return;
  }
  float a = t / z, b = o / z;
  if (power == 2.f) {
    a *= a;
    b *= b;
  } else if (power != 1.f) {
    a = (float)pow((double)a, (double)power);
    b = (float)pow((double)b, (double)power);
  }
  mask[i] = a / (a + b);
}

__global__ void applyMaskKernel(const float* re, const float* im, const float* mask, float* outRe, float* outIm, long n) {
  long i = (long)blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  outRe[i] = re[i] * mask[i];
  outIm[i] = im[i] * mask[i];
}

// Device buffers kept between calls, grown on demand.
enum Slot { A, B, C, D, E, SCRATCH, SLOTS };

struct Buffers {
  std::mutex lock;
  void* ptr[SLOTS] = {};
  size_t size[SLOTS] = {};
  int sharedMax = -1;

  template <class T>
  T* get(Slot s, size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes == 0) bytes = 4;
    if (size[s] < bytes) {
      if (ptr[s]) CK(cudaFree(ptr[s]));
      ptr[s] = nullptr;
      size[s] = 0;
      CK(cudaMalloc(&ptr[s], bytes));
      size[s] = bytes;
    }
    return static_cast<T*>(ptr[s]);
  }
};

Buffers buffers;

// A Java array pinned for the duration of a copy.
template <class T>
struct Pinned {
  JNIEnv* env;
  jarray array;
  T* data;
  jint mode;
  Pinned(JNIEnv* env, jarray array, bool readOnly) : env(env), array(array), mode(readOnly ? JNI_ABORT : 0) {
    data = static_cast<T*>(env->GetPrimitiveArrayCritical(array, nullptr));
    if (!data) throw CudaError{"cannot pin a Java array"};
  }
  ~Pinned() { env->ReleasePrimitiveArrayCritical(array, data, mode); }
};

template <class T>
void upload(JNIEnv* env, T* device, jarray array, size_t n) {
  Pinned<T> p(env, array, true);
  CK(cudaMemcpy(device, p.data, n * sizeof(T), cudaMemcpyHostToDevice));
}

template <class T>
void download(JNIEnv* env, jarray array, size_t offset, const T* device, size_t n) {
  Pinned<T> p(env, array, false);
  CK(cudaMemcpy(p.data + offset, device, n * sizeof(T), cudaMemcpyDeviceToHost));
}

void finish() {
  CK(cudaGetLastError());
  CK(cudaDeviceSynchronize());
}

unsigned blocksOf(size_t n, unsigned threads) { return (unsigned)((n + threads - 1) / threads); }

// Runs body under the lock; a CUDA error becomes an IllegalStateException.
template <class F>
void guarded(JNIEnv* env, F body) {
  try {
    std::lock_guard<std::mutex> g(buffers.lock);
    body();
  } catch (const CudaError& e) {
    jclass c = env->FindClass("java/lang/IllegalStateException");
    if (c) env->ThrowNew(c, ("CUDA separation kernels: " + e.message).c_str());
  }
}

}  // namespace

#define JNI_FN(name) extern "C" JNIEXPORT void JNICALL Java_io_wavegraph_audio_separation_gpu_GpuSeparationKernels_##name

// A description of device 0, or "error: ..." when there is none or CUDA cannot start.
extern "C" JNIEXPORT jstring JNICALL Java_io_wavegraph_audio_separation_gpu_GpuSeparationKernels_cudaDevice(
    JNIEnv* env, jclass) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  std::string d;
  if (e != cudaSuccess) {
    d = std::string("error: ") + cudaGetErrorString(e);
  } else if (count == 0) {
    d = "error: no CUDA device";
  } else {
    cudaDeviceProp prop;
    e = cudaGetDeviceProperties(&prop, 0);
    if (e != cudaSuccess) d = std::string("error: ") + cudaGetErrorString(e);
    else d = std::string(prop.name) + ", compute capability " + std::to_string(prop.major) + "." + std::to_string(prop.minor);
  }
  return env->NewStringUTF(d.c_str());
}

JNI_FN(cudaStft)(JNIEnv* env, jclass, jfloatArray signal, jint samples, jint hop, jfloatArray re, jfloatArray im) {
  guarded(env, [&] {
    int frames = 1 + samples / hop;
    size_t cells = (size_t)frames * BINS;
    float* x = buffers.get<float>(A, samples);
    float* r = buffers.get<float>(B, cells);
    float* i = buffers.get<float>(C, cells);
    upload(env, x, signal, samples);
    stftKernel<<<frames, 1024>>>(x, samples, hop, r, i);
    finish();
    download(env, re, 0, r, cells);
    download(env, im, 0, i, cells);
  });
}

JNI_FN(cudaIstft)(JNIEnv* env, jclass, jfloatArray re, jfloatArray im, jint frames, jint hop, jfloatArray signal,
                  jint samples) {
  guarded(env, [&] {
    size_t cells = (size_t)frames * BINS;
    float* r = buffers.get<float>(B, cells);
    float* i = buffers.get<float>(C, cells);
    float* y = buffers.get<float>(A, samples);
    upload(env, r, re, cells);
    upload(env, i, im, cells);
    CK(cudaMemset(y, 0, (size_t)samples * sizeof(float)));
    istftKernel<<<frames, 1024>>>(r, i, hop, y, samples);
    istftNormalise<<<blocksOf(samples, 256), 256>>>(y, samples, frames, hop);
    finish();
    download(env, signal, 0, y, samples);
  });
}

JNI_FN(cudaMagnitude)(JNIEnv* env, jclass, jfloatArray re, jfloatArray im, jint n, jfloatArray mag) {
  guarded(env, [&] {
    float* r = buffers.get<float>(A, n);
    float* i = buffers.get<float>(B, n);
    float* m = buffers.get<float>(C, n);
    upload(env, r, re, n);
    upload(env, i, im, n);
    magnitudeKernel<<<blocksOf(n, 256), 256>>>(r, i, m, n);
    finish();
    download(env, mag, 0, m, n);
  });
}

template <bool TIME>
void median(JNIEnv* env, jfloatArray in, jint frames, jint bins, jint kernel, jfloatArray out) {
  guarded(env, [&] {
    size_t cells = (size_t)frames * bins;
    float* a = buffers.get<float>(A, cells);
    float* b = buffers.get<float>(B, cells);
    upload(env, a, in, cells);
    dim3 grid(blocksOf(bins, 128), frames);
    if (TIME) {
      if (kernel == 17) medianTimeKernel<17><<<grid, 128>>>(a, frames, bins, kernel, b);
      else medianTimeKernel<0><<<grid, 128>>>(a, frames, bins, kernel, b);
    } else {
      if (kernel == 17) medianFreqKernel<17><<<grid, 128>>>(a, frames, bins, kernel, b);
      else medianFreqKernel<0><<<grid, 128>>>(a, frames, bins, kernel, b);
    }
    finish();
    download(env, out, 0, b, cells);
  });
}

JNI_FN(cudaMedianAlongTime)(JNIEnv* env, jclass, jfloatArray in, jint frames, jint bins, jint kernel, jfloatArray out) {
  median<true>(env, in, frames, bins, kernel, out);
}

JNI_FN(cudaMedianAlongFrequency)(JNIEnv* env, jclass, jfloatArray in, jint frames, jint bins, jint kernel,
                                 jfloatArray out) {
  median<false>(env, in, frames, bins, kernel, out);
}

JNI_FN(cudaSimilarity)(JNIEnv* env, jclass, jfloatArray mag, jint frames, jint bins, jint rowStart, jint rows,
                       jfloatArray sim) {
  guarded(env, [&] {
    size_t cells = (size_t)frames * bins;
    float* m = buffers.get<float>(A, cells);
    float* u = buffers.get<float>(B, cells);
    float* s = buffers.get<float>(C, (size_t)rows * frames);
    upload(env, m, mag, cells);
    unitFramesKernel<<<frames, 256>>>(m, bins, u);
    similarityKernel<<<dim3(blocksOf(frames, TS), blocksOf(rows, TS)), 256>>>(u, frames, bins, rowStart, rows, s);
    finish();
    download(env, sim, 0, s, (size_t)rows * frames);
  });
}

JNI_FN(cudaRepeatingFrames)(JNIEnv* env, jclass, jfloatArray sim, jint frames, jint rowStart, jint rows,
                            jint maxRepeats, jint minDistance, jfloat minSimilarity, jintArray repeats,
                            jintArray counts) {
  guarded(env, [&] {
    float* s = buffers.get<float>(A, (size_t)rows * frames);
    int* rep = buffers.get<int>(D, (size_t)rows * maxRepeats);
    int* cnt = buffers.get<int>(E, rows);
    upload(env, s, sim, (size_t)rows * frames);
    if (buffers.sharedMax < 0) CK(cudaDeviceGetAttribute(&buffers.sharedMax, cudaDevAttrMaxSharedMemoryPerBlockOptin, 0));
    size_t shared = (size_t)frames * sizeof(float);
    if (shared + 1024 <= (size_t)buffers.sharedMax) {
      CK(cudaFuncSetAttribute(repeatingFramesKernel<true>, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)shared));
      repeatingFramesKernel<true><<<rows, 256, shared>>>(s, frames, rowStart, maxRepeats, minDistance, minSimilarity,
                                                         nullptr, rep, cnt);
    } else {
      float* scratch = buffers.get<float>(SCRATCH, (size_t)rows * frames);
      repeatingFramesKernel<false><<<rows, 256>>>(s, frames, rowStart, maxRepeats, minDistance, minSimilarity, scratch,
                                                  rep, cnt);
    }
    finish();
    download(env, repeats, 0, rep, (size_t)rows * maxRepeats);
    download(env, counts, 0, cnt, rows);
  });
}

JNI_FN(cudaRepeatingModel)(JNIEnv* env, jclass, jfloatArray mag, jint frames, jint bins, jint rowStart, jint rows,
                           jint maxRepeats, jintArray repeats, jintArray counts, jfloatArray model) {
  guarded(env, [&] {
    size_t cells = (size_t)frames * bins;
    float* m = buffers.get<float>(A, cells);
    int* rep = buffers.get<int>(D, (size_t)rows * maxRepeats);
    int* cnt = buffers.get<int>(E, rows);
    float* out = buffers.get<float>(B, (size_t)rows * bins);
    upload(env, m, mag, cells);
    upload(env, rep, repeats, (size_t)rows * maxRepeats);
    upload(env, cnt, counts, rows);
    repeatingModelKernel<<<dim3(blocksOf(bins, 128), rows), 128>>>(m, bins, rowStart, maxRepeats, rep, cnt, out);
    finish();
    download(env, model, (size_t)rowStart * bins, out, (size_t)rows * bins);
  });
}

JNI_FN(cudaSoftMask)(JNIEnv* env, jclass, jfloatArray target, jfloatArray other, jint n, jfloat power,
                     jfloatArray mask) {
  guarded(env, [&] {
    float* t = buffers.get<float>(A, n);
    float* o = buffers.get<float>(B, n);
    float* m = buffers.get<float>(C, n);
    upload(env, t, target, n);
    upload(env, o, other, n);
    softMaskKernel<<<blocksOf(n, 256), 256>>>(t, o, power, m, n);
    finish();
    download(env, mask, 0, m, n);
  });
}

JNI_FN(cudaApplyMask)(JNIEnv* env, jclass, jfloatArray re, jfloatArray im, jfloatArray mask, jint n, jfloatArray outRe,
                      jfloatArray outIm) {
  guarded(env, [&] {
    float* r = buffers.get<float>(A, n);
    float* i = buffers.get<float>(B, n);
    float* m = buffers.get<float>(C, n);
    float* orr = buffers.get<float>(D, n);
    float* oi = buffers.get<float>(E, n);
    upload(env, r, re, n);
    upload(env, i, im, n);
    upload(env, m, mask, n);
    applyMaskKernel<<<blocksOf(n, 256), 256>>>(r, i, m, orr, oi, n);
    finish();
    download(env, outRe, 0, orr, n);
    download(env, outIm, 0, oi, n);
  });
}
