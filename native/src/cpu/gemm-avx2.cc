// AVX2 + FMA micro-kernel: a 6 x 16 tile in 12 ymm accumulators; per depth step two B loads and six broadcasts of A.
#define GEMM_ISA avx2
#include "gemm-driver.h"

#include <immintrin.h>

namespace avx2 {

struct Micro {
  static constexpr int MR = 6, NR = 16;

  static void tile(const TileArgs& t) {
    __m256 c[MR][2];
#pragma GCC unroll 6
    for (int r = 0; r < MR; r++) c[r][0] = c[r][1] = _mm256_setzero_ps();
    const float* a = t.a;
    const float* b = t.b;
    for (int k = 0; k < t.kc; k++, a += MR, b += NR) {
      const __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 6
      for (int r = 0; r < MR; r++) {
        const __m256 av = _mm256_broadcast_ss(a + r);
        c[r][0] = _mm256_fmadd_ps(av, b0, c[r][0]);
        c[r][1] = _mm256_fmadd_ps(av, b1, c[r][1]);
      }
    }
    alignas(32) float acc[MR * NR];
    for (int r = 0; r < MR; r++) {
      _mm256_store_ps(acc + r * NR, c[r][0]);
      _mm256_store_ps(acc + r * NR + 8, c[r][1]);
    }
    storeTile<MR, NR>(acc, t);
  }
};

}  // namespace avx2

void gemmAvx2(const GemmArgs& g, Pool& pool) { avx2::gemmDriver<avx2::Micro>(g, pool); }

// The FMA peak probe: 12 independent accumulator chains (as the micro-kernel's), `steps` FMAs on each.
double fmaProbeAvx2(int64_t steps) {
  __m256 acc[12];
  for (int i = 0; i < 12; i++) acc[i] = _mm256_set1_ps(0.001f * i);
  const __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(0.0001f);
  for (int64_t s = 0; s < steps; s++) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; i++) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  alignas(32) float out[8];
  __m256 t = acc[0];
  for (int i = 1; i < 12; i++) t = _mm256_add_ps(t, acc[i]);
  _mm256_store_ps(out, t);
  double sum = 0;
  for (float v : out) sum += v;
  return sum + 12.0 * 8 * 2 * steps;
}
