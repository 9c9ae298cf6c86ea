// The separation kernels of io.wavegraph.audio.separation.SeparationKernels in CUDA, timed on the
// sizes of the Java benchmark (SeparationKernelTimes): 30 s of stereo at 44.1 kHz, fft 2048,
// hop 512, median kernels of 17, REPET-SIM with at most 100 repeats 1 s apart. Each kernel is run
// twice to warm up, then REPS times between CUDA events, on device buffers alone and again with
// the copies of its inputs in and its outputs out (pinned host memory). One line per kernel:
//
//   kernel=<name> gpu_ms=<ms per call> gpu_ms_with_copies=<ms per call>
//
//   separation_kernels [REPS] [--in DIR] [--dump DIR]
//
// --in DIR reads the input signal and, before each kernel, that kernel's inputs from the raw
// files that `SeparationKernelTimes --dump DIR` wrote (the CPU kernels' outputs), so every kernel
// runs on exactly what the CPU kernel had; --dump DIR writes every kernel's outputs under the same
// names, for check_outputs.py. Without them it makes its own signal and writes nothing.
//
// Self-contained (its own shared-memory FFT, no cuFFT or cuBLAS), so it builds wherever nvcc does:
//   nvcc -O3 -arch=sm_90 -o separation_kernels separation_kernels.cu
// This is also where a real GPU implementation of SeparationKernels would start: the same
// kernels behind a C ABI, loaded through the Java FFI (see SeparationKernels' javadoc).
#include <cuda_runtime.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <sys/stat.h>
#include <vector>

#define CHECK(x)                                                                          \
  do {                                                                                    \
    cudaError_t e = (x);                                                                  \
    if (e != cudaSuccess) {                                                               \
      fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e)); \
      exit(1);                                                                            \
    }                                                                                     \
  } while (0)

constexpr int RATE = 44100;
constexpr int SAMPLES = 30 * RATE;
constexpr int FFT = 2048;
constexpr int LOG_FFT = 11;
constexpr int HOP = 512;
constexpr int BINS = FFT / 2 + 1;
constexpr int FRAMES = 1 + SAMPLES / HOP;
constexpr int CELLS = FRAMES * BINS;
constexpr int KERNEL = 17;
constexpr int MAX_REPEATS = 100;
constexpr int MIN_DISTANCE = 86;  // round(1 s * 44100 / 512)
constexpr int CHANNELS = 2;

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

// grid (frames, channels), 1024 threads: one centred, Hann-windowed frame each.
__global__ void stftKernel(const float* signal, float* re, float* im) {
  __shared__ float2 s[FFT];
  int t = blockIdx.x, c = blockIdx.y;
  const float* x = signal + (size_t)c * SAMPLES;
  for (int n = threadIdx.x; n < FFT; n += blockDim.x) {
    int at = t * HOP - FFT / 2 + n;
    float v = at >= 0 && at < SAMPLES ? x[at] * hann(n) : 0.f;
    s[rev(n)] = make_float2(v, 0.f);
  }
  __syncthreads();
  fftShared(s, -1.f);
  size_t o = (size_t)c * CELLS + (size_t)t * BINS;
  for (int k = threadIdx.x; k < BINS; k += blockDim.x) {
    re[o + k] = s[k].x;
    im[o + k] = s[k].y;
  }
}

// grid (frames, channels): inverse transform, window, overlap-add.
__global__ void istftKernel(const float* re, const float* im, float* out) {
  __shared__ float2 s[FFT];
  int t = blockIdx.x, c = blockIdx.y;
  size_t o = (size_t)c * CELLS + (size_t)t * BINS;
  for (int k = threadIdx.x; k < BINS; k += blockDim.x) {
    bool edge = k == 0 || k == BINS - 1;
    float r = re[o + k], i = edge ? 0.f : im[o + k];
    s[rev(k)] = make_float2(r, i);
    if (!edge) s[rev(FFT - k)] = make_float2(r, -i);
  }
  __syncthreads();
  fftShared(s, 1.f);
  float* y = out + (size_t)c * SAMPLES;
  for (int n = threadIdx.x; n < FFT; n += blockDim.x) {
    int at = t * HOP - FFT / 2 + n;
    if (at >= 0 && at < SAMPLES) atomicAdd(&y[at], s[n].x / FFT * hann(n));
  }
}

__global__ void istftNormalise(float* out) {
  int n = blockIdx.x * blockDim.x + threadIdx.x;
  if (n >= SAMPLES) return;
  int hi = min(FRAMES - 1, (n + FFT / 2) / HOP);
  int lo = max(0, (n + FFT / 2 - FFT) / HOP + ((n + FFT / 2 - FFT) >= 0 ? 1 : 0));
  float sum = 0.f;
  for (int t = lo; t <= hi; t++) {
    float w = hann(n + FFT / 2 - t * HOP);
    sum += w * w;
  }
  if (sum > 1e-10f)
    for (int c = 0; c < CHANNELS; c++) out[(size_t)c * SAMPLES + n] /= sum;
}

__global__ void magnitudeKernel(const float* re, const float* im, float* mag, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) mag[i] = sqrtf(re[i] * re[i] + im[i] * im[i]);
}

__device__ __forceinline__ int reflect(int i, int n) {
  int p = 2 * n;
  int j = ((i % p) + p) % p;
  return j < n ? j : p - 1 - j;
}

__device__ __forceinline__ float median17(float* v) {
#pragma unroll
  for (int i = 1; i < KERNEL; i++) {
#pragma unroll
    for (int j = i; j > 0; j--) {
      float a = v[j - 1], b = v[j];
      v[j - 1] = fminf(a, b);
      v[j] = fmaxf(a, b);
    }
  }
  return v[KERNEL / 2];
}

// One thread per cell; neighbouring threads read neighbouring bins (coalesced).
__global__ void medianTimeKernel(const float* in, float* out) {
  int k = blockIdx.x * blockDim.x + threadIdx.x, t = blockIdx.y, c = blockIdx.z;
  if (k >= BINS) return;
  const float* m = in + (size_t)c * CELLS;
  float v[KERNEL];
#pragma unroll
  for (int i = 0; i < KERNEL; i++) v[i] = m[(size_t)reflect(t + i - KERNEL / 2, FRAMES) * BINS + k];
  out[(size_t)c * CELLS + (size_t)t * BINS + k] = median17(v);
}

__global__ void medianFreqKernel(const float* in, float* out) {
  int k = blockIdx.x * blockDim.x + threadIdx.x, t = blockIdx.y, c = blockIdx.z;
  if (k >= BINS) return;
  const float* m = in + (size_t)c * CELLS + (size_t)t * BINS;
  float v[KERNEL];
#pragma unroll
  for (int i = 0; i < KERNEL; i++) v[i] = m[reflect(k + i - KERNEL / 2, BINS)];
  out[(size_t)c * CELLS + (size_t)t * BINS + k] = median17(v);
}

// Unit-normalised frames of the channel mean, for the similarity.
__global__ void unitFramesKernel(const float* mag, float* unit) {
  __shared__ float part[256];
  int t = blockIdx.x;
  float sum = 0.f;
  for (int k = threadIdx.x; k < BINS; k += blockDim.x) {
    float v = 0.5f * (mag[(size_t)t * BINS + k] + mag[(size_t)CELLS + (size_t)t * BINS + k]);
    sum += v * v;
  }
  part[threadIdx.x] = sum;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) part[threadIdx.x] += part[threadIdx.x + s];
    __syncthreads();
  }
  float inv = part[0] > 0.f ? rsqrtf(part[0]) : 0.f;
  for (int k = threadIdx.x; k < BINS; k += blockDim.x) {
    float v = 0.5f * (mag[(size_t)t * BINS + k] + mag[(size_t)CELLS + (size_t)t * BINS + k]);
    unit[(size_t)t * BINS + k] = v * inv;
  }
}

// sim = U U^T, 64x64 output tiles, 256 threads of 4x4 outputs each.
constexpr int TS = 64, TK = 16;
__global__ void similarityKernel(const float* unit, float* sim) {
  __shared__ float a[TK][TS + 1];
  __shared__ float b[TK][TS + 1];
  int i0 = blockIdx.y * TS, j0 = blockIdx.x * TS;
  int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  float acc[4][4] = {};
  for (int k0 = 0; k0 < BINS; k0 += TK) {
    for (int l = threadIdx.x; l < TS * TK; l += 256) {
      int r = l / TK, k = l % TK;
      int gi = i0 + r, gj = j0 + r, gk = k0 + k;
      a[k][r] = gi < FRAMES && gk < BINS ? unit[(size_t)gi * BINS + gk] : 0.f;
      b[k][r] = gj < FRAMES && gk < BINS ? unit[(size_t)gj * BINS + gk] : 0.f;
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
      if (i < FRAMES && j < FRAMES) sim[(size_t)i * FRAMES + j] = acc[p][q];
    }
}

// One block per frame: REPET-SIM's peak picking, the most similar first, at least MIN_DISTANCE apart.
__global__ void repeatingFramesKernel(const float* sim, int* repeats, int* counts) {
  extern __shared__ float cand[];
  __shared__ float bestV[32];
  __shared__ int bestJ[32];
  __shared__ int count;
  int r = blockIdx.x;
  const float* row = sim + (size_t)r * FRAMES;
  for (int j = threadIdx.x; j < FRAMES; j += blockDim.x) {
    float v = row[j];
    bool peak = (j == 0 || row[j - 1] <= v) && (j == FRAMES - 1 || row[j + 1] <= v);
    cand[j] = j != r && abs(j - r) >= MIN_DISTANCE && peak && v > 0.f ? v : -1.f;
  }
  if (threadIdx.x == 0) {
    repeats[(size_t)r * MAX_REPEATS] = r;
    count = 1;
  }
  __syncthreads();
  while (count < MAX_REPEATS) {
    float v = -1.f;
    int jb = FRAMES;
    for (int j = threadIdx.x; j < FRAMES; j += blockDim.x)
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
    for (int j = max(0, bj - MIN_DISTANCE + 1) + threadIdx.x; j <= min(FRAMES - 1, bj + MIN_DISTANCE - 1); j += blockDim.x) cand[j] = -1.f;
    cand[bj] = -1.f;
    __syncthreads();
    if (threadIdx.x == 0) repeats[(size_t)r * MAX_REPEATS + count++] = bj;
    __syncthreads();
  }
  if (threadIdx.x == 0) counts[r] = count;
}

// grid (bin blocks, frames, channels): median over the repeating frames, capped at the mixture.
__global__ void repeatingModelKernel(const float* mag, const int* repeats, const int* counts, float* model) {
  int k = blockIdx.x * blockDim.x + threadIdx.x, t = blockIdx.y, c = blockIdx.z;
  if (k >= BINS) return;
  const float* m = mag + (size_t)c * CELLS;
  int n = counts[t];
  float v[MAX_REPEATS];
  for (int l = 0; l < n; l++) {
    float x = m[(size_t)repeats[(size_t)t * MAX_REPEATS + l] * BINS + k];
    int j = l;
    while (j > 0 && v[j - 1] > x) v[j] = v[j - 1], j--;
    v[j] = x;
  }
  float med = 0.5f * (v[(n - 1) / 2] + v[n / 2]);
  size_t o = (size_t)c * CELLS + (size_t)t * BINS + k;
  model[o] = fminf(m[(size_t)t * BINS + k], med);
}

__global__ void softMaskKernel(const float* target, const float* other, float* mask, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  float t = target[i], o = other[i], z = fmaxf(t, o);
  if (!(z > 1.17549435e-38f)) {
    mask[i] = 0.5f;
    return;
  }
  float a = t / z, b = o / z;
  a *= a;
  b *= b;
  mask[i] = a / (a + b);
}

__global__ void applyMaskKernel(const float* re, const float* im, const float* mask, float* outRe, float* outIm, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  outRe[i] = re[i] * mask[i];
  outIm[i] = im[i] * mask[i];
}

struct Copy {
  void* dst;
  const void* src;
  size_t bytes;
  cudaMemcpyKind kind;
};

static float timeIt(const std::function<void()>& work, int reps) {
  cudaEvent_t a, b;
  CHECK(cudaEventCreate(&a));
  CHECK(cudaEventCreate(&b));
  for (int i = 0; i < 2; i++) work();
  CHECK(cudaDeviceSynchronize());
  CHECK(cudaEventRecord(a));
  for (int i = 0; i < reps; i++) work();
  CHECK(cudaEventRecord(b));
  CHECK(cudaEventSynchronize(b));
  CHECK(cudaGetLastError());
  float ms;
  CHECK(cudaEventElapsedTime(&ms, a, b));
  return ms / reps;
}

static void report(const char* name, const std::function<void()>& kernel, std::vector<Copy> in, std::vector<Copy> out, int reps) {
  float bare = timeIt(kernel, reps);
  float copies = timeIt([&] {
    for (auto& c : in) CHECK(cudaMemcpyAsync(c.dst, c.src, c.bytes, c.kind));
    kernel();
    for (auto& c : out) CHECK(cudaMemcpyAsync(c.dst, c.src, c.bytes, c.kind));
  }, reps);
  printf("kernel=%s gpu_ms=%.3f gpu_ms_with_copies=%.3f\n", name, bare, copies);
  fflush(stdout);
}

template <class T>
static T* device(size_t n) {
  T* p;
  CHECK(cudaMalloc(&p, n * sizeof(T)));
  CHECK(cudaMemset(p, 0, n * sizeof(T)));
  return p;
}

template <class T>
static T* host(size_t n) {
  T* p;
  CHECK(cudaMallocHost(&p, n * sizeof(T)));
  return p;
}

// Raw little-endian files of --in and --dump (the host is little-endian): <dir>/<name>.f32 or .i32.
static std::string path(const char* dir, const char* name) { return std::string(dir) + "/" + name; }

static void readRaw(const char* dir, const char* name, void* dst, size_t bytes) {
  std::string p = path(dir, name);
  FILE* f = fopen(p.c_str(), "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", p.c_str());
    exit(1);
  }
  size_t got = fread(dst, 1, bytes, f);
  bool longer = fgetc(f) != EOF;
  fclose(f);
  if (got != bytes || longer) {
    fprintf(stderr, "%s: expected %zu bytes\n", p.c_str(), bytes);
    exit(1);
  }
}

static void writeRaw(const char* dir, const char* name, const void* src, size_t bytes) {
  std::string p = path(dir, name);
  FILE* f = fopen(p.c_str(), "wb");
  if (!f || fwrite(src, 1, bytes, f) != bytes || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s\n", p.c_str());
    exit(1);
  }
}

static void usage() {
  fprintf(stderr, "usage: separation_kernels [REPS] [--in DIR] [--dump DIR]\n");
  exit(2);
}

int main(int argc, char** argv) {
  int reps = 10;
  // --in: the signal and each kernel's inputs from the files SeparationKernelTimes --dump wrote,
  // so each kernel runs on exactly the CPU kernel's inputs. --dump: every kernel's outputs.
  const char* in = nullptr;
  const char* dump = nullptr;
  for (int a = 1; a < argc; a++) {
    std::string arg = argv[a];
    if (arg == "--in" && a + 1 < argc) in = argv[++a];
    else if (arg == "--dump" && a + 1 < argc) dump = argv[++a];
    else if (arg[0] != '-' && atoi(argv[a]) > 0) reps = atoi(argv[a]);
    else usage();
  }
  if (dump) mkdir(dump, 0755);
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  printf("# %s; 30 s stereo 44.1 kHz, fft %d, hop %d, %d frames x %d bins, mean of %d; input: %s\n", prop.name, FFT,
         HOP, FRAMES, BINS, reps, in ? in : "generated, without the noise of Signals.music");

  float* hSignal = host<float>((size_t)CHANNELS * SAMPLES);
  if (in) {
    readRaw(in, "signal.f32", hSignal, sizeof(float) * CHANNELS * SAMPLES);
  } else {
    // The benchmark signal of bench/jmh Signals.music (without its noise): tones and a kick.
    for (int i = 0; i < SAMPLES; i++) {
      double t = (double)i / RATE, tb = fmod(t, 0.5);
      double v = 0.2 * sin(2 * M_PI * 220 * t) + 0.1 * sin(2 * M_PI * 330 * t) + 0.05 * sin(2 * M_PI * 7040 * t) +
                 0.5 * exp(-tb * 20) * sin(2 * M_PI * 60 * tb);
      hSignal[i] = (float)v;
      hSignal[SAMPLES + i] = (float)(0.9 * v);
    }
  }
  size_t cells = (size_t)CHANNELS * CELLS;
  float* hRe = host<float>(cells);
  float* hIm = host<float>(cells);
  float* hMag = host<float>(cells);
  float* hMask = host<float>(cells);
  float* hOut = host<float>(cells);
  float* hOut2 = host<float>(cells);
  float* hSim = host<float>((size_t)FRAMES * FRAMES);
  float* hSamples = host<float>((size_t)CHANNELS * SAMPLES);
  int* hRepeats = host<int>((size_t)FRAMES * MAX_REPEATS);
  int* hCounts = host<int>(FRAMES);

  float* signal = device<float>((size_t)CHANNELS * SAMPLES);
  float* re = device<float>(cells);
  float* im = device<float>(cells);
  float* mag = device<float>(cells);
  float* out = device<float>(cells);
  float* out2 = device<float>(cells);
  float* mask = device<float>(cells);
  float* unit = device<float>((size_t)CELLS);
  float* sim = device<float>((size_t)FRAMES * FRAMES);
  int* repeats = device<int>((size_t)FRAMES * MAX_REPEATS);
  int* counts = device<int>(FRAMES);
  float* samples = device<float>((size_t)CHANNELS * SAMPLES);
  CHECK(cudaMemcpy(signal, hSignal, sizeof(float) * CHANNELS * SAMPLES, cudaMemcpyHostToDevice));

  const auto H2D = cudaMemcpyHostToDevice;
  const auto D2H = cudaMemcpyDeviceToHost;
  size_t cellBytes = cells * sizeof(float);
  size_t signalBytes = sizeof(float) * CHANNELS * SAMPLES;
  size_t simBytes = sizeof(float) * FRAMES * FRAMES;
  size_t repeatsBytes = sizeof(int) * FRAMES * MAX_REPEATS;
  size_t countsBytes = sizeof(int) * FRAMES;
  dim3 frameGrid(FRAMES, CHANNELS);
  dim3 cellGrid((BINS + 127) / 128, FRAMES, CHANNELS);
  int elementBlocks = (int)((cells + 255) / 256);

  // With --in, a kernel's input buffers (on the device, and the pinned host copy that the timing
  // with copies sends) are replaced by the CPU's values before the kernel runs.
  auto load = [&](const char* name, void* hostBuffer, void* deviceBuffer, size_t bytes) {
    if (!in) return;
    readRaw(in, name, hostBuffer, bytes);
    CHECK(cudaMemcpy(deviceBuffer, hostBuffer, bytes, H2D));
  };
  std::vector<char> dumped;
  auto save = [&](const char* name, const void* deviceBuffer, size_t bytes) {
    if (!dump) return;
    dumped.resize(bytes);
    CHECK(cudaMemcpy(dumped.data(), deviceBuffer, bytes, D2H));
    writeRaw(dump, name, dumped.data(), bytes);
  };

  auto stft = [&] { stftKernel<<<frameGrid, 1024>>>(signal, re, im); };
  report("stft", stft, {{signal, hSignal, signalBytes, H2D}}, {{hRe, re, cellBytes, D2H}, {hIm, im, cellBytes, D2H}}, reps);
  stft();
  save("stft_re.f32", re, cellBytes);
  save("stft_im.f32", im, cellBytes);
  load("stft_re.f32", hRe, re, cellBytes);
  load("stft_im.f32", hIm, im, cellBytes);

  auto magnitude = [&] { magnitudeKernel<<<elementBlocks, 256>>>(re, im, mag, (int)cells); };
  report("magnitude", magnitude, {{re, hRe, cellBytes, H2D}, {im, hIm, cellBytes, H2D}}, {{hMag, mag, cellBytes, D2H}}, reps);
  magnitude();
  save("magnitude.f32", mag, cellBytes);
  load("magnitude.f32", hMag, mag, cellBytes);

  auto medianTime = [&] { medianTimeKernel<<<cellGrid, 128>>>(mag, out); };
  report("median_time", medianTime, {{mag, hMag, cellBytes, H2D}}, {{hOut, out, cellBytes, D2H}}, reps);
  medianTime();
  save("median_time.f32", out, cellBytes);
  auto medianFreq = [&] { medianFreqKernel<<<cellGrid, 128>>>(mag, out); };
  report("median_freq", medianFreq, {{mag, hMag, cellBytes, H2D}}, {{hOut, out, cellBytes, D2H}}, reps);
  medianFreq();
  save("median_freq.f32", out, cellBytes);

  auto similarity = [&] {
    unitFramesKernel<<<FRAMES, 256>>>(mag, unit);
    similarityKernel<<<dim3((FRAMES + TS - 1) / TS, (FRAMES + TS - 1) / TS), 256>>>(unit, sim);
  };
  report("similarity", similarity, {{mag, hMag, cellBytes, H2D}}, {{hSim, sim, simBytes, D2H}}, reps);
  similarity();
  save("similarity.f32", sim, simBytes);
  load("similarity.f32", hSim, sim, simBytes);

  auto frames = [&] { repeatingFramesKernel<<<FRAMES, 256, FRAMES * sizeof(float)>>>(sim, repeats, counts); };
  report("repeating_frames", frames, {{sim, hSim, simBytes, H2D}},
         {{hRepeats, repeats, repeatsBytes, D2H}, {hCounts, counts, countsBytes, D2H}}, reps);
  frames();
  save("repeating_frames_indices.i32", repeats, repeatsBytes);
  save("repeating_frames_counts.i32", counts, countsBytes);
  CHECK(cudaMemcpy(hCounts, counts, countsBytes, D2H));
  double repeatsSum = 0;
  for (int t = 0; t < FRAMES; t++) repeatsSum += hCounts[t];
  load("repeating_frames_indices.i32", hRepeats, repeats, repeatsBytes);
  load("repeating_frames_counts.i32", hCounts, counts, countsBytes);

  auto model = [&] { repeatingModelKernel<<<cellGrid, 128>>>(mag, repeats, counts, out); };
  report("repeating_model", model,
         {{mag, hMag, cellBytes, H2D}, {repeats, hRepeats, repeatsBytes, H2D}, {counts, hCounts, countsBytes, H2D}},
         {{hOut, out, cellBytes, D2H}}, reps);
  model();
  save("repeating_model.f32", out, cellBytes);

  // As the Java benchmark: each channel's magnitude against the other's.
  auto softMask = [&] {
    softMaskKernel<<<(CELLS + 255) / 256, 256>>>(mag, mag + CELLS, mask, CELLS);
    softMaskKernel<<<(CELLS + 255) / 256, 256>>>(mag + CELLS, mag, mask + CELLS, CELLS);
  };
  report("soft_mask", softMask, {{mag, hMag, cellBytes, H2D}}, {{hMask, mask, cellBytes, D2H}}, reps);
  softMask();
  save("soft_mask.f32", mask, cellBytes);
  load("soft_mask.f32", hMask, mask, cellBytes);

  auto apply = [&] { applyMaskKernel<<<elementBlocks, 256>>>(re, im, mask, out, out2, (int)cells); };
  report("apply_mask", apply, {{re, hRe, cellBytes, H2D}, {im, hIm, cellBytes, H2D}, {mask, hMask, cellBytes, H2D}},
         {{hOut, out, cellBytes, D2H}, {hOut2, out2, cellBytes, D2H}}, reps);
  apply();
  save("apply_mask_re.f32", out, cellBytes);
  save("apply_mask_im.f32", out2, cellBytes);

  auto istft = [&] {
    CHECK(cudaMemsetAsync(samples, 0, signalBytes));
    istftKernel<<<frameGrid, 1024>>>(re, im, samples);
    istftNormalise<<<(SAMPLES + 255) / 256, 256>>>(samples);
  };
  if (in) {
    load("stft_re.f32", hRe, re, cellBytes);
    load("stft_im.f32", hIm, im, cellBytes);
  } else {
    stft();
    CHECK(cudaMemcpy(hRe, re, cellBytes, D2H));
    CHECK(cudaMemcpy(hIm, im, cellBytes, D2H));
  }
  report("istft", istft, {{re, hRe, cellBytes, H2D}, {im, hIm, cellBytes, H2D}}, {{hSamples, samples, signalBytes, D2H}}, reps);
  istft();
  save("istft.f32", samples, signalBytes);

  // Sanity: the inverse gives the signal back, and the frames repeat as often as in Java.
  stft();
  istft();
  CHECK(cudaMemcpy(hSamples, samples, signalBytes, cudaMemcpyDeviceToHost));
  double err = 0;
  for (size_t i = 0; i < (size_t)CHANNELS * SAMPLES; i++) err = fmax(err, fabs(hSamples[i] - hSignal[i]));
  printf("# check: istft(stft(x)) max error %.2e, mean repeating frames %.2f\n", err, repeatsSum / FRAMES);
  if (dump) printf("# outputs written to %s\n", dump);
  return 0;
}
