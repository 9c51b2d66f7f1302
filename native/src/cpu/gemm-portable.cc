// Portable micro-kernel: a 4 x 8 tile in plain arrays, left to the compiler's vectoriser (baseline x86-64: SSE2).
#define GEMM_ISA portable
#include "gemm-driver.h"

namespace portable {

struct Micro {
  static constexpr int MR = 4, NR = 8;

  static void tile(const TileArgs& t) {
    float acc[MR * NR] = {};
    const float* a = t.a;
    const float* b = t.b;
    for (int k = 0; k < t.kc; k++, a += MR, b += NR)
      for (int r = 0; r < MR; r++)
        for (int j = 0; j < NR; j++) acc[r * NR + j] += a[r] * b[j];
    storeTile<MR, NR>(acc, t);
  }
};

}  // namespace portable

void gemmPortable(const GemmArgs& g, Pool& pool) { portable::gemmDriver<portable::Micro>(g, pool); }
