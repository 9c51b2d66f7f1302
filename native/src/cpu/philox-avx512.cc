// Philox4x32-10 on 16 consecutive counters at once (AVX-512F), the same words as the scalar philox4x32_10 of
// random.cc: the random ops' integer draws are bit-identical whichever path computes them.
#include <immintrin.h>

#include "philox.h"

namespace {
// The high and low 32 bits of m * b in every lane.
inline void mulHiLo(__m512i m, __m512i b, __m512i& hi, __m512i& lo) {
  lo = _mm512_mullo_epi32(m, b);
  const __m512i even = _mm512_mul_epu32(m, b);                          // lanes 0, 2, ...: 64-bit products
  const __m512i odd = _mm512_mul_epu32(m, _mm512_srli_epi64(b, 32));    // lanes 1, 3, ...
  hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
}

// The four words of counters first .. first + 15, one vector per word.
void philox16(uint64_t first, uint64_t seed, __m512i& c0out, __m512i& c1out, __m512i& c2out, __m512i& c3out) {
  const __m512i lane = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i lo = _mm512_set1_epi32((int)(uint32_t)first);
  __m512i c0 = _mm512_add_epi32(lo, lane);
  // Counters are 64-bit: a lane whose low word wrapped carries into the high word.
  const __mmask16 carry = _mm512_cmplt_epu32_mask(c0, lo);
  const __m512i hi = _mm512_set1_epi32((int)(uint32_t)(first >> 32));
  __m512i c1 = _mm512_mask_add_epi32(hi, carry, hi, _mm512_set1_epi32(1));
  __m512i c2 = _mm512_setzero_si512(), c3 = _mm512_setzero_si512();
  __m512i k0 = _mm512_set1_epi32((int)(uint32_t)seed), k1 = _mm512_set1_epi32((int)(uint32_t)(seed >> 32));
  const __m512i m0 = _mm512_set1_epi32((int)0xD2511F53u), m1 = _mm512_set1_epi32((int)0xCD9E8D57u);
  const __m512i w0 = _mm512_set1_epi32((int)0x9E3779B9u), w1 = _mm512_set1_epi32((int)0xBB67AE85u);
  for (int r = 0; r < 10; r++) {
    __m512i hi0, lo0, hi1, lo1;
    mulHiLo(m0, c0, hi0, lo0);
    mulHiLo(m1, c2, hi1, lo1);
    c0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), k0);
    c2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), k1);
    c1 = lo1;
    c3 = lo0;
    k0 = _mm512_add_epi32(k0, w0);
    k1 = _mm512_add_epi32(k1, w1);
  }
  c0out = c0;
  c1out = c1;
  c2out = c2;
  c3out = c3;
}
}  // namespace

void philox16Avx512(uint64_t first, uint64_t seed, uint32_t words[4][16]) {
  __m512i c0, c1, c2, c3;
  philox16(first, seed, c0, c1, c2, c3);
  _mm512_storeu_si512(words[0], c0);
  _mm512_storeu_si512(words[1], c1);
  _mm512_storeu_si512(words[2], c2);
  _mm512_storeu_si512(words[3], c3);
}

int64_t dropoutAvx512(const float* x, float* out, float* mask, int64_t c, int64_t end, uint64_t seed, uint64_t offset,
                      uint32_t threshold, float scale) {
  // Element 4 (c + j) + w takes word w of counter c + j: gather the words into element order through a small table.
  alignas(64) uint32_t words[4][16];
  alignas(64) uint32_t ordered[64];
  const __m512i thr = _mm512_set1_epi32((int)threshold);
  const __m512 s = _mm512_set1_ps(scale);
  for (; c + 16 <= end; c += 16) {
    philox16Avx512(offset + c, seed, words);
    for (int j = 0; j < 16; j++)
      for (int w = 0; w < 4; w++) ordered[4 * j + w] = words[w][j];
    for (int v = 0; v < 4; v++) {
      const int64_t i = 4 * c + 16 * v;
      const __m512i bits = _mm512_srli_epi32(_mm512_load_si512(ordered + 16 * v), 8);
      const __mmask16 keep = _mm512_cmpge_epu32_mask(bits, thr);
      const __m512 m = _mm512_maskz_mov_ps(keep, s);
      _mm512_storeu_ps(mask + i, m);
      _mm512_storeu_ps(out + i, _mm512_mul_ps(_mm512_loadu_ps(x + i), m));
    }
  }
  return c;
}
