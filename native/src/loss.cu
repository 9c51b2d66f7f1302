// Fused losses and their gradients, each one block of 1024 threads (the AAE's losses cover at most 100 x 784
// elements): every thread handles a strided share of the elements, writes their gradients, and accumulates its
// share of the loss in double; a shared-memory tree reduces the partials and thread 0 writes the mean to loss[0].
// Formulas as ts/backend/reference.ts, eps 1e-15. The cluster-head cost is the exception: one thread (see there).
#include "check.cuh"
#include "kernels.h"

namespace {

constexpr double EPS = 1e-15;
constexpr int THREADS = 1024;

__device__ void reduceMean(double s, double count, float* loss) {
  __shared__ double part[THREADS];
  part[threadIdx.x] = s;
  __syncthreads();
  for (int w = THREADS / 2; w > 0; w /= 2) {
    if ((int)threadIdx.x < w) part[threadIdx.x] += part[threadIdx.x + w];
    __syncthreads();
  }
  if (threadIdx.x == 0) loss[0] = (float)(-part[0] / count);
}

// log sum_c exp(zr[c]) in double, with the row's maximum subtracted first.
__device__ double rowLogSumExp(const float* zr, int cols) {
  double mx = zr[0];
  for (int c = 1; c < cols; c++) mx = fmax(mx, (double)zr[c]);
  double sumExp = 0;
  for (int c = 0; c < cols; c++) sumExp += exp(zr[c] - mx);
  return mx + log(sumExp);
}

__global__ void bceK(const float* y, const float* t, int64_t n, float* loss, float* dLogits) {
  double s = 0;
  for (int64_t i = threadIdx.x; i < n; i += THREADS) {
    const double p = y[i], tt = t[i];
    s += tt * log(p + EPS) + (1 - tt) * log(1 - p + EPS);
    if (dLogits) dLogits[i] = (float)((-tt * p * (1 - p) / (p + EPS) + (1 - tt) * p * (1 - p) / (1 - p + EPS)) / n);
  }
  reduceMean(s, (double)n, loss);
}

__global__ void crossEntropyK(const float* z, const float* t, int rows, int cols, float* loss, float* dLogits) {
  double s = 0;
  for (int r = threadIdx.x; r < rows; r += THREADS) {
    const float* zr = z + (size_t)r * cols;
    const float* tr = t + (size_t)r * cols;
    const double logZ = rowLogSumExp(zr, cols);
    double tSum = 0;
    for (int c = 0; c < cols; c++) {
      s += tr[c] * (zr[c] - logZ);
      tSum += tr[c];
    }
    if (dLogits)
      for (int c = 0; c < cols; c++) dLogits[(size_t)r * cols + c] = (float)((exp(zr[c] - logZ) * tSum - tr[c]) / rows);
  }
  reduceMean(s, (double)rows, loss);
}

// The partial sums are of -H so that reduceMean's negated mean is the mean entropy.
__global__ void entropyK(const float* z, int rows, int cols, float* loss, float* dLogits) {
  double s = 0;
  for (int r = threadIdx.x; r < rows; r += THREADS) {
    const float* zr = z + (size_t)r * cols;
    const double logZ = rowLogSumExp(zr, cols);
    double h = 0;
    for (int c = 0; c < cols; c++) {
      const double lq = zr[c] - logZ;
      h -= exp(lq) * lq;
    }
    s -= h;
    if (dLogits)
      for (int c = 0; c < cols; c++) {
        const double lq = zr[c] - logZ;
        dLogits[(size_t)r * cols + c] = (float)(-exp(lq) * (lq + h) / rows);
      }
  }
  reduceMean(s, (double)rows, loss);
}

// The marginal entropy: one block; the column sums of q (threads over columns, each recomputing the rows' logZ from
// shared memory), then log m in shared memory, then the gradient (threads over rows). As native/src/cpu/loss.cc.
__global__ void marginalEntropyK(const float* z, int rows, int cols, float* loss, float* dLogits) {
  __shared__ double logMean[1024];
  extern __shared__ double logZ[];  // rows (<= 2048: 24 KB of shared memory in all)
  for (int r = threadIdx.x; r < rows; r += THREADS) {
    logZ[r] = rowLogSumExp(z + (size_t)r * cols, cols);
  }
  __syncthreads();
  double part = 0;
  for (int c = threadIdx.x; c < cols; c += THREADS) {
    double m = 0;
    for (int r = 0; r < rows; r++) m += exp(z[(size_t)r * cols + c] - logZ[r]);
    m /= rows;
    const double lm = m > 0 ? log(m) : 0;
    logMean[c] = lm;
    part += m * lm;
  }
  reduceMean(part, 1.0, loss);
  if (!dLogits) return;
  for (int r = threadIdx.x; r < rows; r += THREADS) {
    const float* zr = z + (size_t)r * cols;
    double s = 0;
    for (int c = 0; c < cols; c++) s += exp(zr[c] - logZ[r]) * logMean[c];
    for (int c = 0; c < cols; c++) dLogits[(size_t)r * cols + c] = (float)(exp(zr[c] - logZ[r]) * (s - logMean[c]) / rows);
  }
}

__global__ void discriminatorLossK(const float* dReal, const float* dFake, int64_t n, float* loss, float* gReal, float* gFake) {
  double s = 0;
  for (int64_t i = threadIdx.x; i < n; i += THREADS) {
    const double r = dReal[i], f = dFake[i];
    s += log(r + EPS) + log(1 - f + EPS);
    if (gReal) gReal[i] = (float)(-(r * (1 - r)) / (r + EPS) / n);
    if (gFake) gFake[i] = (float)((f * (1 - f)) / (1 - f + EPS) / n);
  }
  reduceMean(s, (double)n, loss);
}

__global__ void generatorLossK(const float* dFake, int64_t n, float* loss, float* grad) {
  double s = 0;
  for (int64_t i = threadIdx.x; i < n; i += THREADS) {
    const double f = dFake[i];
    s += log(f + EPS);
    if (grad) grad[i] = (float)(-(f * (1 - f)) / (f + EPS) / n);
  }
  reduceMean(s, (double)n, loss);
}

// The cluster-head cost (ts/backend/cluster-heads.ts) of w: (d, n): one thread, in double; n is the number of
// clusters (<= a few dozen) and d the representation's 2 dimensions, so the launch is the whole cost.
__device__ double headDistance(const float* w, int d, int n, int i, int j) {
  double s = 0;
  for (int k = 0; k < d; k++) {
    const double diff = (double)w[k * n + i] - (double)w[k * n + j];
    s += diff * diff;
  }
  return sqrt(s);
}

__global__ void clusterHeadCostK(const float* w, int d, int n, double eta, double weight, float* cost, float* grad) {
  double total = 0;
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) {
      const double dist = headDistance(w, d, n, i, j);
      if (dist < eta) total += eta - dist;
    }
  cost[0] = (float)(weight * total);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < d; k++) {
      const double wi = w[k * n + i];
      double g = 0;
      for (int j = 0; j < n; j++) {
        if (j == i) continue;
        const double dist = headDistance(w, d, n, i, j);
        if (dist >= eta || dist == 0) continue;
        g += ((double)w[k * n + j] - wi) / dist;
      }
      grad[k * n + i] = (float)((double)grad[k * n + i] + weight * g);
    }
}

}  // namespace

void bceWithSigmoid(const float* y, const float* t, int64_t n, float* loss, float* dLogits, cudaStream_t s) {
  bceK<<<1, THREADS, 0, s>>>(y, t, n, loss, dLogits);
  checkLaunch("bceWithSigmoid");
}
void crossEntropy(const float* z, const float* t, int rows, int cols, float* loss, float* dLogits, cudaStream_t s) {
  crossEntropyK<<<1, THREADS, 0, s>>>(z, t, rows, cols, loss, dLogits);
  checkLaunch("crossEntropy");
}
void discriminatorLoss(const float* dReal, const float* dFake, int64_t n, float* loss, float* gradReal, float* gradFake, cudaStream_t s) {
  discriminatorLossK<<<1, THREADS, 0, s>>>(dReal, dFake, n, loss, gradReal, gradFake);
  checkLaunch("discriminatorLoss");
}
void generatorLoss(const float* dFake, int64_t n, float* loss, float* grad, cudaStream_t s) {
  generatorLossK<<<1, THREADS, 0, s>>>(dFake, n, loss, grad);
  checkLaunch("generatorLoss");
}
void entropy(const float* z, int rows, int cols, float* loss, float* dLogits, cudaStream_t s) {
  entropyK<<<1, THREADS, 0, s>>>(z, rows, cols, loss, dLogits);
  checkLaunch("entropy");
}
void marginalEntropy(const float* z, int rows, int cols, float* loss, float* dLogits, cudaStream_t s) {
  marginalEntropyK<<<1, THREADS, rows * sizeof(double), s>>>(z, rows, cols, loss, dLogits);
  checkLaunch("marginalEntropy");
}
void clusterHeadCost(const float* w, int d, int n, double eta, double weight, float* cost, float* grad, cudaStream_t s) {
  clusterHeadCostK<<<1, 1, 0, s>>>(w, d, n, eta, weight, cost, grad);
  checkLaunch("clusterHeadCost");
}
