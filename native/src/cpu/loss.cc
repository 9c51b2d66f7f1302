// Fused losses and their gradients (formulas as ts/backend/reference.ts and native/src/loss.cu, eps 1e-15): the loss
// summed in double over elements in order, the mean written to loss[0].
#include <algorithm>
#include <cmath>

#include "kernels.h"

namespace {
constexpr double EPS = 1e-15;

// Log-sum-exp of one row of logits, in double.
double rowLogSumExp(const float* z, int cols) {
  double mx = z[0];
  for (int c = 1; c < cols; c++) mx = std::fmax(mx, (double)z[c]);
  double sumExp = 0;
  for (int c = 0; c < cols; c++) sumExp += std::exp(z[c] - mx);
  return mx + std::log(sumExp);
}
}  // namespace

void bceWithSigmoid(const float* y, const float* t, int64_t n, float* loss, float* dLogits) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) {
    const double p = y[i], tt = t[i];
    s += tt * std::log(p + EPS) + (1 - tt) * std::log(1 - p + EPS);
    if (dLogits) dLogits[i] = (float)((-tt * p * (1 - p) / (p + EPS) + (1 - tt) * p * (1 - p) / (1 - p + EPS)) / n);
  }
  loss[0] = (float)(-s / n);
}

void crossEntropy(const float* z, const float* t, int rows, int cols, float* loss, float* dLogits) {
  double s = 0;
  for (int r = 0; r < rows; r++) {
    const float* zr = z + (int64_t)r * cols;
    const float* tr = t + (int64_t)r * cols;
    const double logZ = rowLogSumExp(zr, cols);
    double tSum = 0;
    for (int c = 0; c < cols; c++) {
      s += tr[c] * (zr[c] - logZ);
      tSum += tr[c];
    }
    if (dLogits)
      for (int c = 0; c < cols; c++) dLogits[(int64_t)r * cols + c] = (float)((std::exp(zr[c] - logZ) * tSum - tr[c]) / rows);
  }
  loss[0] = (float)(-s / rows);
}

void entropy(const float* z, int rows, int cols, float* loss, float* dLogits) {
  double total = 0;
  for (int r = 0; r < rows; r++) {
    const float* zr = z + (int64_t)r * cols;
    const double logZ = rowLogSumExp(zr, cols);
    double h = 0;
    for (int c = 0; c < cols; c++) {
      const double lq = zr[c] - logZ;
      h -= std::exp(lq) * lq;
    }
    total += h;
    if (dLogits)
      for (int c = 0; c < cols; c++) {
        const double lq = zr[c] - logZ;
        dLogits[(int64_t)r * cols + c] = (float)(-std::exp(lq) * (lq + h) / rows);
      }
  }
  loss[0] = (float)(total / rows);
}

// As asm/loss.ts: the column sums of q, then log m in the same array, then the gradient row by row.
void marginalEntropy(const float* z, int rows, int cols, float* loss, float* dLogits) {
  double logMean[1024];
  std::fill(logMean, logMean + cols, 0.0);
  for (int r = 0; r < rows; r++) {
    const float* zr = z + (int64_t)r * cols;
    const double logZ = rowLogSumExp(zr, cols);
    for (int c = 0; c < cols; c++) logMean[c] += std::exp(zr[c] - logZ);
  }
  double h = 0;
  for (int c = 0; c < cols; c++) {
    const double m = logMean[c] / rows;
    const double lm = m > 0 ? std::log(m) : 0;
    h -= m * lm;
    logMean[c] = lm;
  }
  loss[0] = (float)h;
  if (!dLogits) return;
  for (int r = 0; r < rows; r++) {
    const float* zr = z + (int64_t)r * cols;
    const double logZ = rowLogSumExp(zr, cols);
    double s = 0;
    for (int c = 0; c < cols; c++) s += std::exp(zr[c] - logZ) * logMean[c];
    for (int c = 0; c < cols; c++) dLogits[(int64_t)r * cols + c] = (float)(std::exp(zr[c] - logZ) * (s - logMean[c]) / rows);
  }
}

void discriminatorLoss(const float* dReal, const float* dFake, int64_t n, float* loss, float* gReal, float* gFake) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) {
    const double r = dReal[i], f = dFake[i];
    s += std::log(r + EPS) + std::log(1 - f + EPS);
    if (gReal) gReal[i] = (float)(-(r * (1 - r)) / (r + EPS) / n);
    if (gFake) gFake[i] = (float)((f * (1 - f)) / (1 - f + EPS) / n);
  }
  loss[0] = (float)(-s / n);
}

void generatorLoss(const float* dFake, int64_t n, float* loss, float* grad) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) {
    const double f = dFake[i];
    s += std::log(f + EPS);
    if (grad) grad[i] = (float)(-(f * (1 - f)) / (f + EPS) / n);
  }
  loss[0] = (float)(-s / n);
}

namespace {
double headDistance(const float* w, int d, int n, int i, int j) {
  double s = 0;
  for (int k = 0; k < d; k++) {
    const double diff = (double)w[k * n + i] - (double)w[k * n + j];
    s += diff * diff;
  }
  return std::sqrt(s);
}
}  // namespace

void clusterHeadCost(const float* w, int d, int n, double eta, double weight, float* cost, float* grad) {
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
