// Random fills from Philox4x32-10 with the layout of ts/rng.ts (philox.h). Float math after the integer draw in
// double, rounded once. Counters are split over the pool's threads, 16 at a time through AVX-512 where the CPU has it
// (the same words as the scalar path).
#include <algorithm>
#include <cmath>

#include "kernels.h"
#include "philox.h"

namespace {

inline double uniform24(uint32_t w) { return (double)(w >> 8) * (1.0 / 16777216.0); }

constexpr double TWO_PI = 6.283185307179586;

bool hasAvx512() {
#if defined(AAE_X86)
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;
  }();
  return has;
#else
  return false;
#endif
}

// Calls fn(counter index c, draw) for the counters covering elements [0, n), split over the threads.
template <typename F>
void forCounters(Pool& pool, int64_t n, uint64_t seed, uint64_t offset, F&& fn) {
  parallelFor(pool, (n + 3) / 4, CHUNK_ELEMENTS / 4, [&](int64_t b, int64_t e) {
    int64_t c = b;
#if defined(AAE_X86)
    if (hasAvx512()) {
      uint32_t words[4][16];
      for (; c + 16 <= e; c += 16) {
        philox16Avx512(offset + c, seed, words);
        for (int j = 0; j < 16; j++) fn(c + j, Philox4{{words[0][j], words[1][j], words[2][j], words[3][j]}});
      }
    }
#endif
    for (; c < e; c++) fn(c, philox4x32_10(offset + c, seed));
  });
}

}  // namespace

void uniformFill(Pool& pool, float* out, int64_t n, uint64_t seed, uint64_t offset, double low, double high) {
  forCounters(pool, n, seed, offset, [&](int64_t c, const Philox4& r) {
    for (int w = 0; w < 4 && c * 4 + w < n; w++) out[c * 4 + w] = (float)(low + (high - low) * uniform24(r.x[w]));
  });
}

// Words (x0, x1) and (x2, x3) are Box-Muller pairs: u1 in (0, 1], u2 in [0, 1).
void normalFill(Pool& pool, float* out, int64_t n, uint64_t seed, uint64_t offset, double mean, double std) {
  forCounters(pool, n, seed, offset, [&](int64_t c, const Philox4& r) {
    for (int w = 0; w < 4 && c * 4 + w < n; w++) {
      const int pair = w & 2;
      const double u1 = ((double)(r.x[pair] >> 8) + 1.0) * (1.0 / 16777216.0);
      const double u2 = uniform24(r.x[pair + 1]);
      const double rad = std::sqrt(-2.0 * std::log(u1));
      const double z = (w & 1) == 0 ? rad * std::cos(TWO_PI * u2) : rad * std::sin(TWO_PI * u2);
      out[c * 4 + w] = (float)(mean + std * z);
    }
  });
}

void dropout(Pool& pool, const float* x, float* out, float* mask, int64_t n, uint64_t seed, uint64_t offset,
             uint32_t threshold, float scale) {
  parallelFor(pool, (n + 3) / 4, CHUNK_ELEMENTS / 4, [&](int64_t b, int64_t e) {
    int64_t c = b;
#if defined(AAE_X86)
    // Whole counters only (the last one may be partial when n is not a multiple of 4).
    if (hasAvx512()) c = dropoutAvx512(x, out, mask, c, std::min(e, n / 4), seed, offset, threshold, scale);
#endif
    for (; c < e; c++) {
      const Philox4 r = philox4x32_10(offset + c, seed);
      for (int w = 0; w < 4 && c * 4 + w < n; w++) {
        const int64_t i = c * 4 + w;
        const float m = (r.x[w] >> 8) >= threshold ? scale : 0.f;
        mask[i] = m;
        out[i] = x[i] * m;
      }
    }
  });
}

// Row 4c + w is one-hot at class ((word >> 8) * K) >> 24.
void categorical(float* out, int rows, int K, uint64_t seed, uint64_t offset) {
  for (int64_t c = 0; c * 4 < rows; c++) {
    const Philox4 r = philox4x32_10(offset + c, seed);
    for (int w = 0; w < 4 && c * 4 + w < rows; w++) {
      float* row = out + (c * 4 + w) * (int64_t)K;
      const int k = (int)(((uint64_t)(r.x[w] >> 8) * (uint64_t)K) >> 24);
      for (int j = 0; j < K; j++) row[j] = j == k ? 1.f : 0.f;
    }
  }
}

// Image i is shifted by (dx, dy) from words 2i, 2i + 1 (counter i / 2), zero fill.
void randomTranslate(const float* x, float* out, int rows, int H, int W, int C, int maxShift, uint64_t seed, uint64_t offset) {
  const uint64_t K = 2 * (uint64_t)maxShift + 1;
  const int64_t size = (int64_t)H * W * C;
  for (int i = 0; i < rows; i++) {
    const Philox4 r = philox4x32_10(offset + (uint64_t)(i >> 1), seed);
    const int w = (i & 1) * 2;
    const int dx = (int)(((uint64_t)(r.x[w] >> 8) * K) >> 24) - maxShift;
    const int dy = (int)(((uint64_t)(r.x[w + 1] >> 8) * K) >> 24) - maxShift;
    const float* src = x + i * size;
    float* dst = out + i * size;
    for (int row = 0; row < H; row++)
      for (int col = 0; col < W; col++) {
        const int sr = row - dy, sc = col - dx;
        const bool inside = sr >= 0 && sr < H && sc >= 0 && sc < W;
        for (int ch = 0; ch < C; ch++)
          dst[((int64_t)row * W + col) * C + ch] = inside ? src[((int64_t)sr * W + sc) * C + ch] : 0.f;
      }
  }
}
