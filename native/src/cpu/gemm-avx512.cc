// AVX-512 micro-kernel: a 12 x 32 tile in 24 zmm accumulators; per depth step two B loads and twelve broadcasts of A.
#define GEMM_ISA avx512
#include "gemm-driver.h"

#include <immintrin.h>

namespace avx512 {

struct Micro {
  static constexpr int MR = 12, NR = 32;

  static void tile(const TileArgs& t) {
    __m512 c[MR][2];
#pragma GCC unroll 12
    for (int r = 0; r < MR; r++) c[r][0] = c[r][1] = _mm512_setzero_ps();
    const float* a = t.a;
    const float* b = t.b;
    for (int k = 0; k < t.kc; k++, a += MR, b += NR) {
      const __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 12
      for (int r = 0; r < MR; r++) {
        const __m512 av = _mm512_set1_ps(a[r]);
        c[r][0] = _mm512_fmadd_ps(av, b0, c[r][0]);
        c[r][1] = _mm512_fmadd_ps(av, b1, c[r][1]);
      }
    }
    if (t.rows == MR && t.cols == NR && t.act != GEMM_SIGMOID) {
      const __m512 zero = _mm512_setzero_ps();
      const __m512 bias0 = t.last && t.bias ? _mm512_loadu_ps(t.bias) : zero;
      const __m512 bias1 = t.last && t.bias ? _mm512_loadu_ps(t.bias + 16) : zero;
#pragma GCC unroll 12
      for (int r = 0; r < MR; r++) {
        float* cr = t.c + (int64_t)r * t.ldc;
        __m512 v0 = c[r][0], v1 = c[r][1];
        if (t.loadC) {
          v0 = _mm512_add_ps(v0, _mm512_loadu_ps(cr));
          v1 = _mm512_add_ps(v1, _mm512_loadu_ps(cr + 16));
        }
        if (t.last) {
          v0 = _mm512_add_ps(v0, bias0);
          v1 = _mm512_add_ps(v1, bias1);
          if (t.act == GEMM_RELU) {
            v0 = _mm512_max_ps(v0, zero);
            v1 = _mm512_max_ps(v1, zero);
          }
        }
        _mm512_storeu_ps(cr, v0);
        _mm512_storeu_ps(cr + 16, v1);
      }
      return;
    }
    alignas(64) float acc[MR * NR];
    for (int r = 0; r < MR; r++) {
      _mm512_store_ps(acc + r * NR, c[r][0]);
      _mm512_store_ps(acc + r * NR + 16, c[r][1]);
    }
    storeTile<MR, NR>(acc, t);
  }
};

}  // namespace avx512

void gemmAvx512(const GemmArgs& g, Pool& pool) { avx512::gemmDriver<avx512::Micro>(g, pool); }

// The FMA peak probe: 24 independent accumulator chains (as the micro-kernel's), `steps` FMAs on each.
double fmaProbeAvx512(int64_t steps) {
  __m512 acc[24];
  for (int i = 0; i < 24; i++) acc[i] = _mm512_set1_ps(0.001f * i);
  const __m512 a = _mm512_set1_ps(0.999f), b = _mm512_set1_ps(0.0001f);
  for (int64_t s = 0; s < steps; s++) {
#pragma GCC unroll 24
    for (int i = 0; i < 24; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  __m512 t = acc[0];
  for (int i = 1; i < 24; i++) t = _mm512_add_ps(t, acc[i]);
  return _mm512_reduce_add_ps(t) + 24.0 * 16 * 2 * steps;  // the flops, kept live through the sum
}
