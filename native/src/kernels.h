// Host entry points of the CUDA kernels: one function per op, enqueued on `stream`. Pointers are device addresses
// of contiguous row-major float32 tensors; shapes were checked by the TypeScript side (ts/backend/checked.ts).
#pragma once
#include <cstdint>
#include <cuda_runtime.h>

enum Act : int { ACT_NONE = 0, ACT_RELU = 1, ACT_SIGMOID = 2 };

// graph.cu: the per-launch shift of a captured training iteration, read from device memory by the random kernels
// (offset + rng) and Adam (step + step), so that a CUDA Graph captured once replays with fresh random streams and
// the right bias correction. Ops outside a graph read an all-zero GraphShift.
struct GraphShift {
  uint64_t rng;
  int64_t step;
};
void setGraphShift(GraphShift* shift, uint64_t rng, int64_t step, cudaStream_t s);

// gemm.cu: C (M, N) = act(op(A) op(B) + bias [+ C]); op(A) (M, K) from A (M, K) or (K, M); op(B) (K, N) from B (K, N) or (N, K).
void gemm(const float* a, const float* b, float* c, const float* bias, int M, int N, int K, bool transA, bool transB,
          bool accumulate, int act, cudaStream_t stream);

// elementwise.cu
void actBackward(const float* y, const float* dy, float* dx, int64_t n, int act, cudaStream_t s);
void biasGrad(const float* dy, float* db, int rows, int cols, bool accumulate, cudaStream_t s);
// dx = out > 0 ? dy * scale : 0 over (rows, cols): relu followed by dropout, from the dropout's output; db (may be
// null) (+)= the column sums of dx.
void reluDropoutBackward(const float* out, const float* dy, float* dx, int rows, int cols, float scale, float* db,
                         bool accumulate, cudaStream_t s);
void mul(const float* a, const float* b, float* out, int64_t n, cudaStream_t s);
void axpby(const float* x, const float* y, float* out, int64_t n, float alpha, float beta, cudaStream_t s);
void softmax(const float* x, float* out, int rows, int cols, cudaStream_t s);
void softmaxBackward(const float* y, const float* dy, float* dx, int rows, int cols, cudaStream_t s);
void gatherRows(const float* src, const float* idx, float* out, int rows, int cols, cudaStream_t s);
// gatherRows from uint8 pixels: out = (float)((double)byte / 255), exactly JavaScript's Math.fround(byte / 255).
void gatherPixels(const uint8_t* src, const float* idx, float* out, int rows, int cols, cudaStream_t s);
void copyCols(const float* src, float* dst, int rows, int srcCols, int dstCols, int srcCol, int dstCol, int cols, cudaStream_t s);
void fill(float* out, int64_t n, float value, cudaStream_t s);
// out row r = scale * x row r / ||x row r|| (a zero row gives zeros); out may be x.
void l2NormalizeRows(const float* x, float* out, int rows, int cols, double scale, const float* rowScales, cudaStream_t s);
void sum(const float* x, int64_t n, float* out, cudaStream_t s);
// flag[0] = 1 when any of x[0..n) is NaN or +-Inf; flag untouched otherwise.
void flagNonFinite(const float* x, int64_t n, float* flag, cudaStream_t s);

// loss.cu: each writes the mean loss to loss[0]; gradient pointers may be null.
void bceWithSigmoid(const float* y, const float* t, int64_t n, float* loss, float* dLogits, cudaStream_t s);
void crossEntropy(const float* z, const float* t, int rows, int cols, float* loss, float* dLogits, cudaStream_t s);
void discriminatorLoss(const float* dReal, const float* dFake, int64_t n, float* loss, float* gradReal, float* gradFake, cudaStream_t s);
void generatorLoss(const float* dFake, int64_t n, float* loss, float* grad, cudaStream_t s);
// loss[0] = mean over rows of the entropy of softmax(z row); dLogits (may be null) = its gradient.
void entropy(const float* z, int rows, int cols, float* loss, float* dLogits, cudaStream_t s);
// loss[0] = entropy of the mean row softmax of z (cols <= 1024, rows <= 2048); dLogits (may be null) = its gradient.
void marginalEntropy(const float* z, int rows, int cols, float* loss, float* dLogits, cudaStream_t s);
// cost[0] = weight * the cluster-head cost of w: (d, n); grad: (d, n) += weight * its gradient.
void clusterHeadCost(const float* w, int d, int n, double eta, double weight, float* cost, float* grad, cudaStream_t s);

// adam.cu: one launch over every tensor of a table of `count` entries in device memory.
struct AdamEntry {
  float* param;
  const float* grad;
  float* m;
  float* v;
  int64_t n;
};
// The bias corrections are computed on the device from step + shift->step (in double, as the host would).
void adam(const AdamEntry* table, int count, int64_t maxN, double lr, double beta1, double beta2, double eps,
          double weightDecay, double step, const GraphShift* shift, cudaStream_t s);

// random.cu (Philox, layout of ts/rng.ts); the counters start at offset + shift->rng.
void uniformFill(float* out, int64_t n, uint64_t seed, uint64_t offset, const GraphShift* shift, double low, double high,
                 cudaStream_t s);
void normalFill(float* out, int64_t n, uint64_t seed, uint64_t offset, const GraphShift* shift, double mean, double std,
                cudaStream_t s);
void dropout(const float* x, float* out, float* mask, int64_t n, uint64_t seed, uint64_t offset, const GraphShift* shift,
             uint32_t threshold, float scale, cudaStream_t s);
void categorical(float* out, int rows, int K, uint64_t seed, uint64_t offset, const GraphShift* shift, cudaStream_t s);
// Images (rows, H * W * C) shifted by up to maxShift pixels per row, zero fill; out must not be x.
void randomTranslate(const float* x, float* out, int rows, int H, int W, int C, int maxShift, uint64_t seed,
                     uint64_t offset, const GraphShift* shift, cudaStream_t s);
