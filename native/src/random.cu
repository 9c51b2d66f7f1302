// Random fills from Philox4x32-10 with the layout of ts/rng.ts: thread c evaluates counter offset + c once and
// writes elements 4c .. 4c+3, where offset = the op's offset + shift->rng (zero outside a replayed CUDA Graph).
// Launch: grid-stride over ceil(n / 4) counters, 256 threads.
#include "check.cuh"
#include "kernels.h"
#include "philox.cuh"

namespace {

constexpr int THREADS = 256;
constexpr double TWO_PI = 6.283185307179586;

inline int blocksFor(int64_t counters) {
  const int64_t b = (counters + THREADS - 1) / THREADS;
  return (int)(b < 1 ? 1 : b > 4096 ? 4096 : b);
}

#define COUNTERS(c, n) for (int64_t c = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; c * 4 < (n); c += (int64_t)gridDim.x * blockDim.x)

__global__ void uniformK(float* out, int64_t n, uint64_t seed, uint64_t base, const GraphShift* shift, double low, double high) {
  const uint64_t offset = base + shift->rng;
  COUNTERS(c, n) {
    const Philox4 r = philox4x32_10(offset + c, seed);
    for (int w = 0; w < 4 && c * 4 + w < n; w++) out[c * 4 + w] = (float)(low + (high - low) * uniform24(r.x[w]));
  }
}

// Words (x0, x1) and (x2, x3) are Box-Muller pairs: u1 in (0, 1], u2 in [0, 1).
__global__ void normalK(float* out, int64_t n, uint64_t seed, uint64_t base, const GraphShift* shift, double mean, double std) {
  const uint64_t offset = base + shift->rng;
  COUNTERS(c, n) {
    const Philox4 r = philox4x32_10(offset + c, seed);
    for (int w = 0; w < 4 && c * 4 + w < n; w++) {
      const int pair = w & 2;
      const double u1 = ((double)(r.x[pair] >> 8) + 1.0) * (1.0 / 16777216.0);
      const double u2 = uniform24(r.x[pair + 1]);
      const double rad = sqrt(-2.0 * log(u1));
      const double z = (w & 1) == 0 ? rad * cos(TWO_PI * u2) : rad * sin(TWO_PI * u2);
      out[c * 4 + w] = (float)(mean + std * z);
    }
  }
}

__global__ void dropoutK(const float* x, float* out, float* mask, int64_t n, uint64_t seed, uint64_t base, const GraphShift* shift, uint32_t threshold, float scale) {
  const uint64_t offset = base + shift->rng;
  COUNTERS(c, n) {
    const Philox4 r = philox4x32_10(offset + c, seed);
    for (int w = 0; w < 4 && c * 4 + w < n; w++) {
      const int64_t i = c * 4 + w;
      const float m = (r.x[w] >> 8) >= threshold ? scale : 0.f;
      mask[i] = m;
      out[i] = x[i] * m;
    }
  }
}

// Row 4c + w is one-hot at class ((word >> 8) * K) >> 24.
__global__ void categoricalK(float* out, int rows, int K, uint64_t seed, uint64_t base, const GraphShift* shift) {
  const uint64_t offset = base + shift->rng;
  COUNTERS(c, rows) {
    const Philox4 r = philox4x32_10(offset + c, seed);
    for (int w = 0; w < 4 && c * 4 + w < rows; w++) {
      float* row = out + (c * 4 + w) * (int64_t)K;
      const int k = (int)(((uint64_t)(r.x[w] >> 8) * (uint64_t)K) >> 24);
      for (int j = 0; j < K; j++) row[j] = j == k ? 1.f : 0.f;
    }
  }
}

// One block per image: thread 0 of the block draws (dx, dy) from words 2i, 2i+1 (counter i / 2), then the block
// writes the shifted image.
__global__ void translateK(const float* x, float* out, int H, int W, int C, int maxShift, uint64_t seed, uint64_t base,
                           const GraphShift* shift) {
  __shared__ int d[2];
  const int i = blockIdx.x;
  if (threadIdx.x == 0) {
    const Philox4 r = philox4x32_10(base + shift->rng + (uint64_t)(i >> 1), seed);
    const uint64_t K = 2 * maxShift + 1;
    const int w = (i & 1) * 2;
    d[0] = (int)(((uint64_t)(r.x[w] >> 8) * K) >> 24) - maxShift;
    d[1] = (int)(((uint64_t)(r.x[w + 1] >> 8) * K) >> 24) - maxShift;
  }
  __syncthreads();
  const int dx = d[0], dy = d[1];
  const int64_t size = (int64_t)H * W * C;
  const float* src = x + i * size;
  float* dst = out + i * size;
  for (int64_t e = threadIdx.x; e < size; e += blockDim.x) {
    const int ch = (int)(e % C);
    const int pix = (int)(e / C);
    const int sr = pix / W - dy, sc = pix % W - dx;
    dst[e] = (sr >= 0 && sr < H && sc >= 0 && sc < W) ? src[((int64_t)sr * W + sc) * C + ch] : 0.f;
  }
}

}  // namespace

void uniformFill(float* out, int64_t n, uint64_t seed, uint64_t offset, const GraphShift* shift, double low, double high,
                 cudaStream_t s) {
  uniformK<<<blocksFor((n + 3) / 4), THREADS, 0, s>>>(out, n, seed, offset, shift, low, high);
  checkLaunch("randomUniform");
}
void normalFill(float* out, int64_t n, uint64_t seed, uint64_t offset, const GraphShift* shift, double mean, double std,
                cudaStream_t s) {
  normalK<<<blocksFor((n + 3) / 4), THREADS, 0, s>>>(out, n, seed, offset, shift, mean, std);
  checkLaunch("randomNormal");
}
void dropout(const float* x, float* out, float* mask, int64_t n, uint64_t seed, uint64_t offset, const GraphShift* shift,
             uint32_t threshold, float scale, cudaStream_t s) {
  dropoutK<<<blocksFor((n + 3) / 4), THREADS, 0, s>>>(x, out, mask, n, seed, offset, shift, threshold, scale);
  checkLaunch("dropout");
}
void categorical(float* out, int rows, int K, uint64_t seed, uint64_t offset, const GraphShift* shift, cudaStream_t s) {
  categoricalK<<<blocksFor((rows + 3) / 4), THREADS, 0, s>>>(out, rows, K, seed, offset, shift);
  checkLaunch("randomCategorical");
}
void randomTranslate(const float* x, float* out, int rows, int H, int W, int C, int maxShift, uint64_t seed,
                     uint64_t offset, const GraphShift* shift, cudaStream_t s) {
  if (rows > 0) translateK<<<rows, THREADS, 0, s>>>(x, out, H, W, C, maxShift, seed, offset, shift);
  checkLaunch("randomTranslate");
}
