// The CPU backend's kernels: one function per op, the same arguments and semantics as the CUDA kernels
// (native/src/kernels.h) and the Wasm ones (asm/), on host pointers of contiguous row-major float32 tensors whose
// shapes the TypeScript side checked (ts/backend/checked.ts). Reductions accumulate in double. Ops big enough to
// pay for it split over the pool's threads; each thread's share is fixed by its tid, so results do not depend on
// timing.
#pragma once
#include <algorithm>
#include <cstdint>

#include "pool.h"

// Elements per chunk of a parallel elementwise op: smaller ops run on the calling thread alone.
constexpr int64_t CHUNK_ELEMENTS = 1 << 14;

// Calls fn(begin, end) over [0, n) in chunks of about `chunk` (a multiple of `align`) on the pool's threads.
template <typename F>
void parallelFor(Pool& pool, int64_t n, int64_t chunk, F&& fn) {
  const int64_t chunks = std::min<int64_t>((n + chunk - 1) / chunk, Pool::MAX_CHUNKS);
  pool.run(chunks, [&](int64_t c) {
    int64_t b, e;
    splitRange(n, c, chunks, 16, b, e);
    if (b < e) fn(b, e);
  });
}

// elementwise.cc
void actBackward(Pool& pool, const float* y, const float* dy, float* dx, int64_t n, int act);
void biasGrad(Pool& pool, const float* dy, float* db, int rows, int cols, bool accumulate);
void reluDropoutBackward(Pool& pool, const float* out, const float* dy, float* dx, int rows, int cols, float scale,
                         float* db, bool accumulate);
void mul(Pool& pool, const float* a, const float* b, float* out, int64_t n);
void axpby(Pool& pool, const float* x, const float* y, float* out, int64_t n, float alpha, float beta);
void softmax(const float* x, float* out, int rows, int cols);
void softmaxBackward(const float* y, const float* dy, float* dx, int rows, int cols);
void gatherRows(Pool& pool, const float* src, const float* idx, float* out, int rows, int cols);
// gatherRows from uint8 pixels: out = (float)((double)byte / 255), exactly JavaScript's Math.fround(byte / 255).
void gatherPixels(Pool& pool, const uint8_t* src, const float* idx, float* out, int rows, int cols);
void copyCols(const float* src, float* dst, int rows, int srcCols, int dstCols, int srcCol, int dstCol, int cols);
void fill(Pool& pool, float* out, int64_t n, float value);
void l2NormalizeRows(const float* x, float* out, int rows, int cols, double scale, const float* rowScales);
void sum(const float* x, int64_t n, float* out);
void flagNonFinite(const float* x, int64_t n, float* flag);

// loss.cc: each writes the mean loss to loss[0]; gradient pointers may be null.
void bceWithSigmoid(const float* y, const float* t, int64_t n, float* loss, float* dLogits);
void crossEntropy(const float* z, const float* t, int rows, int cols, float* loss, float* dLogits);
void discriminatorLoss(const float* dReal, const float* dFake, int64_t n, float* loss, float* gradReal, float* gradFake);
void generatorLoss(const float* dFake, int64_t n, float* loss, float* grad);
void entropy(const float* z, int rows, int cols, float* loss, float* dLogits);
// loss[0] = entropy of the mean row softmax of z (cols <= 1024, rows <= 2048); dLogits (may be null) = its gradient.
void marginalEntropy(const float* z, int rows, int cols, float* loss, float* dLogits);
void clusterHeadCost(const float* w, int d, int n, double eta, double weight, float* cost, float* grad);

// adam.cc: one call over every tensor of a table of `count` entries.
struct AdamEntry {
  float* param;
  const float* grad;
  float* m;
  float* v;
  int64_t n;
};
void adam(Pool& pool, const AdamEntry* table, int count, double lr, double beta1, double beta2, double eps,
          double weightDecay, double step);

// random.cc (Philox4x32-10, the layout of ts/rng.ts).
void uniformFill(Pool& pool, float* out, int64_t n, uint64_t seed, uint64_t offset, double low, double high);
void normalFill(Pool& pool, float* out, int64_t n, uint64_t seed, uint64_t offset, double mean, double std);
void dropout(Pool& pool, const float* x, float* out, float* mask, int64_t n, uint64_t seed, uint64_t offset,
             uint32_t threshold, float scale);
void categorical(float* out, int rows, int K, uint64_t seed, uint64_t offset);
void randomTranslate(const float* x, float* out, int rows, int H, int W, int C, int maxShift, uint64_t seed, uint64_t offset);
