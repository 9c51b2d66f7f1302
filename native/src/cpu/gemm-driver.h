// The blocked GEMM driver, compiled once per instruction set: gemm-avx512.cc, gemm-avx2.cc and gemm-portable.cc
// each define GEMM_ISA (a namespace name), include this file, then define their micro-kernel in that namespace, so
// every copy is built with its own file's target flags and none is shared between them.
//
// C (M, N) = act(op(A) op(B) + bias [+ C]), op(A)(i, k) = transA ? A[k M + i] : A[i K + k],
// op(B)(k, j) = transB ? B[j K + k] : B[k N + j]. GotoBLAS loop order: column blocks of NC, depth blocks of KC
// (B packed into NR-wide panels, zero-padded), row blocks of MC (A packed into MR-tall panels, zero-padded); the
// micro-kernel computes an MR x NR tile over one depth block in registers and applies the epilogue: the previous C
// is added when accumulating or after the first depth block, bias and activation after the last.
//
// Work is split in chunks of whole column panels when there are enough (A is then packed once, before the split,
// and shared), otherwise of whole row panels. Packing buffers are per thread and grow once: no allocation after the
// first call of each size. Each element of C is summed in the same order whatever the split.
//
// Requires: struct Micro { static constexpr int MR, NR; static void tile(const TileArgs&); }.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gemm.h"
#include "pool.h"

namespace GEMM_ISA {

constexpr int KC = 256;
constexpr int MC = 120;
constexpr int NC = 1024;

struct TileArgs {
  int kc;
  const float* a;  // (kc, MR) packed panel
  const float* b;  // (kc, NR) packed panel
  float* c;        // the tile's top-left element of C
  int ldc;
  int rows, cols;  // valid part of the tile (<= MR, NR)
  const float* bias;  // the tile's first column of the bias, or null
  bool loadC;
  bool last;
  int act;
};

inline float activate(float v, int act) {
  if (act == GEMM_RELU) return v > 0.f ? v : 0.f;
  if (act == GEMM_SIGMOID) return 1.f / (1.f + std::exp(-v));
  return v;
}

// The epilogue for a tile held in acc (MR x NR row-major): used for edge tiles and by the portable kernel.
template <int MR, int NR>
inline void storeTile(const float* acc, const TileArgs& t) {
  for (int r = 0; r < t.rows; r++) {
    float* c = t.c + (int64_t)r * t.ldc;
    for (int j = 0; j < t.cols; j++) {
      float v = acc[r * NR + j];
      if (t.loadC) v += c[j];
      if (t.last) {
        if (t.bias) v += t.bias[j];
        v = activate(v, t.act);
      }
      c[j] = v;
    }
  }
}

struct PackBuffers {
  std::vector<float> a, b;
};

inline PackBuffers& packBuffers() {
  thread_local PackBuffers buffers;
  return buffers;
}

template <class Micro>
void packA(const GemmArgs& g, int i0, int mc, int k0, int kc, float* out) {
  constexpr int MR = Micro::MR;
  const int panels = (mc + MR - 1) / MR;
  for (int p = 0; p < panels; p++) {
    float* dst = out + (int64_t)p * kc * MR;
    const int rows = std::min(MR, mc - p * MR);
    const int i = i0 + p * MR;
    if (g.transA) {
      for (int k = 0; k < kc; k++) {
        const float* src = g.a + (int64_t)(k0 + k) * g.M + i;
        int r = 0;
        for (; r < rows; r++) dst[k * MR + r] = src[r];
        for (; r < MR; r++) dst[k * MR + r] = 0.f;
      }
    } else {
      for (int r = 0; r < MR; r++) {
        if (r < rows) {
          const float* src = g.a + (int64_t)(i + r) * g.K + k0;
          for (int k = 0; k < kc; k++) dst[k * MR + r] = src[k];
        } else {
          for (int k = 0; k < kc; k++) dst[k * MR + r] = 0.f;
        }
      }
    }
  }
}

template <class Micro>
void packB(const GemmArgs& g, int j0, int nc, int k0, int kc, float* out) {
  constexpr int NR = Micro::NR;
  const int panels = (nc + NR - 1) / NR;
  for (int p = 0; p < panels; p++) {
    float* dst = out + (int64_t)p * kc * NR;
    const int cols = std::min(NR, nc - p * NR);
    const int j = j0 + p * NR;
    if (g.transB) {
      for (int c = 0; c < NR; c++) {
        if (c < cols) {
          const float* src = g.b + (int64_t)(j + c) * g.K + k0;
          for (int k = 0; k < kc; k++) dst[k * NR + c] = src[k];
        } else {
          for (int k = 0; k < kc; k++) dst[k * NR + c] = 0.f;
        }
      }
    } else {
      for (int k = 0; k < kc; k++) {
        const float* src = g.b + (int64_t)(k0 + k) * g.N + j;
        int c = 0;
        for (; c < cols; c++) dst[k * NR + c] = src[c];
        for (; c < NR; c++) dst[k * NR + c] = 0.f;
      }
    }
  }
}

// C = act(bias [+ C]) when the depth K is zero.
inline void emptyDepth(const GemmArgs& g) {
  for (int i = 0; i < g.M; i++)
    for (int j = 0; j < g.N; j++) {
      float& c = g.c[(int64_t)i * g.N + j];
      const float v = (g.accumulate ? c : 0.f) + (g.bias ? g.bias[j] : 0.f);
      c = activate(v, g.act);
    }
}

// The rows of C rounded up to whole MR panels: the row stride of a shared packed A per unit of depth.
template <class Micro>
int64_t paddedRows(const GemmArgs& g) {
  return (int64_t)((g.M + Micro::MR - 1) / Micro::MR) * Micro::MR;
}

// C[m0:m1, n0:n1]. sharedA, when given, holds all of A packed by packAllA (the column-split path: packed once for
// every chunk); otherwise this call packs the rows it needs.
template <class Micro>
void gemmBlock(const GemmArgs& g, int m0, int m1, int n0, int n1, const float* sharedA) {
  constexpr int MR = Micro::MR, NR = Micro::NR;
  PackBuffers& buf = packBuffers();
  const size_t aSize = (size_t)KC * ((MC + MR - 1) / MR) * MR, bSize = (size_t)KC * ((NC + NR - 1) / NR) * NR;
  if (buf.a.size() < aSize) buf.a.resize(aSize);
  if (buf.b.size() < bSize) buf.b.resize(bSize);
  for (int jc = n0; jc < n1; jc += NC) {
    const int nc = std::min(NC, n1 - jc);
    for (int pc = 0; pc < g.K; pc += KC) {
      const int kc = std::min(KC, g.K - pc);
      packB<Micro>(g, jc, nc, pc, kc, buf.b.data());
      for (int ic = m0; ic < m1; ic += MC) {
        const int mc = std::min(MC, m1 - ic);
        const float* a = sharedA ? sharedA + (int64_t)pc * paddedRows<Micro>(g) + (int64_t)(ic / MR) * kc * MR : buf.a.data();
        if (!sharedA) packA<Micro>(g, ic, mc, pc, kc, buf.a.data());
        for (int jr = 0; jr < nc; jr += NR) {
          for (int ir = 0; ir < mc; ir += MR) {
            TileArgs t;
            t.kc = kc;
            t.a = a + (int64_t)(ir / MR) * kc * MR;
            t.b = buf.b.data() + (int64_t)(jr / NR) * kc * NR;
            t.c = g.c + (int64_t)(ic + ir) * g.N + jc + jr;
            t.ldc = g.N;
            t.rows = std::min(MR, mc - ir);
            t.cols = std::min(NR, nc - jr);
            t.bias = g.bias ? g.bias + jc + jr : nullptr;
            t.loadC = pc > 0 || g.accumulate;
            t.last = pc + kc == g.K;
            t.act = g.act;
            Micro::tile(t);
          }
        }
      }
    }
  }
}

// All of A packed, depth block after depth block (each block: its row panels in order), into the calling thread's
// buffer, for the column-split path to share.
template <class Micro>
const float* packAllA(const GemmArgs& g) {
  thread_local std::vector<float> shared;
  const int64_t rows = paddedRows<Micro>(g);
  if (shared.size() < (size_t)(rows * g.K)) shared.resize(rows * g.K);
  for (int pc = 0; pc < g.K; pc += KC) packA<Micro>(g, 0, g.M, pc, std::min(KC, g.K - pc), shared.data() + (int64_t)pc * rows);
  return shared.data();
}

template <class Micro>
void gemmDriver(const GemmArgs& g, Pool& pool) {
  if (g.M == 0 || g.N == 0) return;
  if (g.K == 0) {
    emptyDepth(g);
    return;
  }
  constexpr int MR = Micro::MR, NR = Micro::NR;
  const double flops = 2.0 * g.M * g.N * g.K;
  if (flops < GEMM_PARALLEL_MIN_FLOPS || pool.threads() == 1) {
    gemmBlock<Micro>(g, 0, g.M, 0, g.N, nullptr);
    return;
  }
  // Chunks of whole panels, a few per thread, so a thread the OS has descheduled holds up little.
  const int64_t target = 3 * (int64_t)pool.threads();
  const int64_t colPanels = (g.N + NR - 1) / NR, rowPanels = (g.M + MR - 1) / MR;
  if (colPanels >= 2 * (int64_t)pool.threads()) {
    const float* a = packAllA<Micro>(g);
    const int64_t chunks = std::min(colPanels, target);
    pool.run(chunks, [&](int64_t c) {
      int64_t b, e;
      splitRange(g.N, c, chunks, NR, b, e);
      if (b < e) gemmBlock<Micro>(g, 0, g.M, (int)b, (int)e, a);
    });
  } else {
    const int64_t chunks = std::min(rowPanels, target);
    pool.run(chunks, [&](int64_t c) {
      int64_t b, e;
      splitRange(g.M, c, chunks, MR, b, e);
      if (b < e) gemmBlock<Micro>(g, (int)b, (int)e, 0, g.N, nullptr);
    });
  }
}

}  // namespace GEMM_ISA
