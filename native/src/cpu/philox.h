// Philox4x32-10 with the layout of ts/rng.ts (as native/src/philox.cuh and asm/philox.ts): key = (seed lo, seed hi),
// counter (c lo, c hi, 0, 0); element i of an op takes word (i mod 4) of counter offset + i / 4.
#pragma once
#include <cstdint>

struct Philox4 {
  uint32_t x[4];
};

inline Philox4 philox4x32_10(uint64_t counter, uint64_t seed) {
  uint32_t c0 = (uint32_t)counter, c1 = (uint32_t)(counter >> 32), c2 = 0, c3 = 0;
  uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
  for (int r = 0; r < 10; r++) {
    const uint64_t p0 = (uint64_t)0xD2511F53u * c0, p1 = (uint64_t)0xCD9E8D57u * c2;
    const uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c0 = n0;
    c1 = (uint32_t)p1;
    c2 = n2;
    c3 = (uint32_t)p0;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  return {{c0, c1, c2, c3}};
}

#if defined(AAE_X86)
// Counters first .. first + 15: words[w][j] is word w of counter first + j.
void philox16Avx512(uint64_t first, uint64_t seed, uint32_t words[4][16]);
// Dropout over counters [c, end) (elements 4c .. 4 end, all below n), 16 counters at a time, as random.cc's scalar
// loop; returns the first counter it left for the scalar path (fewer than 16 remain).
int64_t dropoutAvx512(const float* x, float* out, float* mask, int64_t c, int64_t end, uint64_t seed, uint64_t offset,
                      uint32_t threshold, float scale);
#endif
