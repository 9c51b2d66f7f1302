// Elementwise and row-wise kernels. Elementwise ops use grid-stride loops (256 threads, up to 1024 blocks);
// row-wise ops (softmax, its backward) use one thread per row (the AAE's rows have 10-16 classes); reductions
// (biasGrad per column, sum) accumulate in double.
#include "check.cuh"
#include "kernels.h"

namespace {

constexpr int THREADS = 256;

inline int blocksFor(int64_t n) {
  const int64_t b = (n + THREADS - 1) / THREADS;
  return (int)(b < 1 ? 1 : b > 1024 ? 1024 : b);
}

#define GRID_STRIDE(i, n) for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < (n); i += (int64_t)gridDim.x * blockDim.x)

__global__ void actBackwardK(const float* y, const float* dy, float* dx, int64_t n, int act) {
  GRID_STRIDE(i, n) {
    const float v = y[i], g = dy[i];
    dx[i] = act == ACT_RELU ? (v > 0.f ? g : 0.f) : act == ACT_SIGMOID ? g * v * (1.f - v) : g;
  }
}

// One thread per column j: db[j] (+)= sum_i dy[i, j].
__global__ void biasGradK(const float* dy, float* db, int rows, int cols, bool accumulate) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= cols) return;
  double s = accumulate ? db[j] : 0.0;
  for (int i = 0; i < rows; i++) s += dy[(size_t)i * cols + j];
  db[j] = (float)s;
}

__device__ __forceinline__ float reluDrop(float out, float dy, float scale) { return out > 0.f ? dy * scale : 0.f; }

__global__ void reluDropoutBackwardK(const float* out, const float* dy, float* dx, int64_t n, float scale) {
  GRID_STRIDE(i, n) dx[i] = reluDrop(out[i], dy[i], scale);
}

// With the bias gradient: one thread per column j, as biasGradK, summing the dx it writes.
__global__ void reluDropoutBiasK(const float* out, const float* dy, float* dx, int rows, int cols, float scale, float* db,
                                 bool accumulate) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= cols) return;
  double s = accumulate ? db[j] : 0.0;
  for (int i = 0; i < rows; i++) {
    const size_t k = (size_t)i * cols + j;
    const float v = reluDrop(out[k], dy[k], scale);
    dx[k] = v;
    s += v;
  }
  db[j] = (float)s;
}

__global__ void mulK(const float* a, const float* b, float* out, int64_t n) {
  GRID_STRIDE(i, n) out[i] = a[i] * b[i];
}

__global__ void axpbyK(const float* x, const float* y, float* out, int64_t n, float alpha, float beta) {
  GRID_STRIDE(i, n) out[i] = alpha * x[i] + beta * y[i];
}

__global__ void softmaxK(const float* x, float* out, int rows, int cols) {
  const int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const float* row = x + (size_t)r * cols;
  float mx = row[0];
  for (int c = 1; c < cols; c++) mx = fmaxf(mx, row[c]);
  double total = 0;
  for (int c = 0; c < cols; c++) total += exp((double)(row[c] - mx));
  for (int c = 0; c < cols; c++) out[(size_t)r * cols + c] = (float)(exp((double)(row[c] - mx)) / total);
}

__global__ void softmaxBackwardK(const float* y, const float* dy, float* dx, int rows, int cols) {
  const int r = blockIdx.x * blockDim.x + threadIdx.x;
  if (r >= rows) return;
  const size_t o = (size_t)r * cols;
  double dot = 0;
  for (int c = 0; c < cols; c++) dot += (double)dy[o + c] * y[o + c];
  for (int c = 0; c < cols; c++) dx[o + c] = (float)(y[o + c] * (dy[o + c] - dot));
}

// out row i = src row idx[i]; threads stride over the (rows x cols) output.
__global__ void gatherRowsK(const float* src, const float* idx, float* out, int rows, int cols) {
  GRID_STRIDE(e, (int64_t)rows * cols) {
    const int64_t i = e / cols, c = e % cols;
    out[e] = src[(int64_t)idx[i] * cols + c];
  }
}

// gatherRowsK from uint8 pixels, each byte as (float)((double)b / 255).
__global__ void gatherPixelsK(const uint8_t* src, const float* idx, float* out, int rows, int cols) {
  GRID_STRIDE(e, (int64_t)rows * cols) {
    const int64_t i = e / cols, c = e % cols;
    out[e] = (float)((double)src[(int64_t)idx[i] * cols + c] / 255.0);
  }
}

__global__ void copyColsK(const float* src, float* dst, int rows, int srcCols, int dstCols, int srcCol, int dstCol, int cols) {
  GRID_STRIDE(e, (int64_t)rows * cols) {
    const int64_t r = e / cols, c = e % cols;
    dst[r * dstCols + dstCol + c] = src[r * srcCols + srcCol + c];
  }
}

__global__ void fillK(float* out, int64_t n, float value) {
  GRID_STRIDE(i, n) out[i] = value;
}

// One block of 256 threads per row: double partial sums of squares, a shared-memory tree, then the scaled row.
__global__ void l2NormalizeRowsK(const float* x, float* out, int cols, double scale, const float* rowScales) {
  __shared__ double part[256];
  const float* xr = x + (size_t)blockIdx.x * cols;
  float* orow = out + (size_t)blockIdx.x * cols;
  double s = 0;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) s += (double)xr[c] * xr[c];
  part[threadIdx.x] = s;
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w /= 2) {
    if ((int)threadIdx.x < w) part[threadIdx.x] += part[threadIdx.x + w];
    __syncthreads();
  }
  const double k = part[0] > 0 ? scale * (rowScales ? (double)rowScales[blockIdx.x] : 1.0) / sqrt(part[0]) : 0.0;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) orow[c] = (float)(k * xr[c]);
}

// Any thread that sees a non-finite value writes 1 (every writer writes the same value: no atomics needed).
__global__ void flagNonFiniteK(const float* x, int64_t n, float* flag) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
    if (!isfinite(x[i])) flag[0] = 1.f;
}

// One block of 1024 threads: double partial sums, then a shared-memory tree.
__global__ void sumK(const float* x, int64_t n, float* out) {
  __shared__ double part[1024];
  double s = 0;
  for (int64_t i = threadIdx.x; i < n; i += blockDim.x) s += x[i];
  part[threadIdx.x] = s;
  __syncthreads();
  for (int w = blockDim.x / 2; w > 0; w /= 2) {
    if ((int)threadIdx.x < w) part[threadIdx.x] += part[threadIdx.x + w];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[0] = (float)part[0];
}

}  // namespace

void actBackward(const float* y, const float* dy, float* dx, int64_t n, int act, cudaStream_t s) {
  actBackwardK<<<blocksFor(n), THREADS, 0, s>>>(y, dy, dx, n, act);
  checkLaunch("activationBackward");
}
void biasGrad(const float* dy, float* db, int rows, int cols, bool accumulate, cudaStream_t s) {
  biasGradK<<<(cols + THREADS - 1) / THREADS, THREADS, 0, s>>>(dy, db, rows, cols, accumulate);
  checkLaunch("biasGrad");
}
void reluDropoutBackward(const float* out, const float* dy, float* dx, int rows, int cols, float scale, float* db,
                         bool accumulate, cudaStream_t s) {
  if (db) reluDropoutBiasK<<<(cols + THREADS - 1) / THREADS, THREADS, 0, s>>>(out, dy, dx, rows, cols, scale, db, accumulate);
  else reluDropoutBackwardK<<<blocksFor((int64_t)rows * cols), THREADS, 0, s>>>(out, dy, dx, (int64_t)rows * cols, scale);
  checkLaunch("reluDropoutBackward");
}
void mul(const float* a, const float* b, float* out, int64_t n, cudaStream_t s) {
  mulK<<<blocksFor(n), THREADS, 0, s>>>(a, b, out, n);
  checkLaunch("dropoutBackward");
}
void axpby(const float* x, const float* y, float* out, int64_t n, float alpha, float beta, cudaStream_t s) {
  axpbyK<<<blocksFor(n), THREADS, 0, s>>>(x, y, out, n, alpha, beta);
  checkLaunch("axpby");
}
void softmax(const float* x, float* out, int rows, int cols, cudaStream_t s) {
  softmaxK<<<(rows + THREADS - 1) / THREADS, THREADS, 0, s>>>(x, out, rows, cols);
  checkLaunch("softmax");
}
void softmaxBackward(const float* y, const float* dy, float* dx, int rows, int cols, cudaStream_t s) {
  softmaxBackwardK<<<(rows + THREADS - 1) / THREADS, THREADS, 0, s>>>(y, dy, dx, rows, cols);
  checkLaunch("softmaxBackward");
}
void gatherRows(const float* src, const float* idx, float* out, int rows, int cols, cudaStream_t s) {
  gatherRowsK<<<blocksFor((int64_t)rows * cols), THREADS, 0, s>>>(src, idx, out, rows, cols);
  checkLaunch("gatherRows");
}

void gatherPixels(const uint8_t* src, const float* idx, float* out, int rows, int cols, cudaStream_t s) {
  gatherPixelsK<<<blocksFor((int64_t)rows * cols), THREADS, 0, s>>>(src, idx, out, rows, cols);
  checkLaunch("gatherPixels");
}
void copyCols(const float* src, float* dst, int rows, int srcCols, int dstCols, int srcCol, int dstCol, int cols, cudaStream_t s) {
  copyColsK<<<blocksFor((int64_t)rows * cols), THREADS, 0, s>>>(src, dst, rows, srcCols, dstCols, srcCol, dstCol, cols);
  checkLaunch("copy");
}
void fill(float* out, int64_t n, float value, cudaStream_t s) {
  fillK<<<blocksFor(n), THREADS, 0, s>>>(out, n, value);
  checkLaunch("fill");
}
void l2NormalizeRows(const float* x, float* out, int rows, int cols, double scale, const float* rowScales, cudaStream_t s) {
  if (rows > 0) l2NormalizeRowsK<<<rows, 256, 0, s>>>(x, out, cols, scale, rowScales);
  checkLaunch("l2NormalizeRows");
}
void flagNonFinite(const float* x, int64_t n, float* flag, cudaStream_t s) {
  if (n > 0) flagNonFiniteK<<<blocksFor(n), THREADS, 0, s>>>(x, n, flag);
  checkLaunch("flagNonFinite");
}
void sum(const float* x, int64_t n, float* out, cudaStream_t s) {
  sumK<<<1, 1024, 0, s>>>(x, n, out);
  checkLaunch("sum");
}
