// Elementwise and row-wise kernels of the CPU backend (formulas as native/src/elementwise.cu).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "clones.h"
#include "kernels.h"

void actBackward(Pool& pool, const float* y, const float* dy, float* dx, int64_t n, int act) {
  parallelFor(pool, n, CHUNK_ELEMENTS, [&](int64_t b, int64_t e) {
    if (act == 1) {
      for (int64_t i = b; i < e; i++) {
        const float g = dy[i];  // read unconditionally, so the loop vectorises
        dx[i] = y[i] > 0.f ? g : 0.f;
      }
    } else if (act == 2) {
      for (int64_t i = b; i < e; i++) dx[i] = dy[i] * y[i] * (1.f - y[i]);
    } else {
      for (int64_t i = b; i < e; i++) dx[i] = dy[i];
    }
  });
}

// Column sums in double over a column range [c0, c1): dy rows streamed in order, one double per column (cloned per
// instruction set, clones.h: 8 doubles a vector with AVX-512 instead of 2).
AAE_CLONES static void columnSums(const float* dy, float* db, int rows, int cols, int64_t c0, int64_t c1, bool accumulate) {
  constexpr int64_t CHUNK = 256;
  double s[CHUNK];
  for (int64_t j0 = c0; j0 < c1; j0 += CHUNK) {
    const int64_t w = c1 - j0 < CHUNK ? c1 - j0 : CHUNK;
    for (int64_t j = 0; j < w; j++) s[j] = accumulate ? db[j0 + j] : 0.0;
    for (int i = 0; i < rows; i++) {
      const int64_t o = (int64_t)i * cols + j0;
      for (int64_t j = 0; j < w; j++) s[j] += (double)dy[o + j];
    }
    for (int64_t j = 0; j < w; j++) db[j0 + j] = (float)s[j];
  }
}

// Column chunks holding about CHUNK_ELEMENTS elements of a (rows, cols) tensor.
template <typename F>
static void forColumnChunks(Pool& pool, int rows, int cols, F&& fn) {
  const int64_t perChunk = std::max<int64_t>(16, CHUNK_ELEMENTS / std::max(rows, 1));
  parallelFor(pool, cols, perChunk, fn);
}

void biasGrad(Pool& pool, const float* dy, float* db, int rows, int cols, bool accumulate) {
  forColumnChunks(pool, rows, cols, [&](int64_t b, int64_t e) {
    columnSums(dy, db, rows, cols, b, e, accumulate);
  });
}

// dx = (out > 0 ? dy * scale : 0) over the columns [c0, c1) of every row (cloned per instruction set, clones.h).
AAE_CLONES static void reluDropoutColumns(const float* __restrict o, const float* __restrict g, float* __restrict d, int rows,
                                          int cols, int64_t c0, int64_t c1, float k) {
  for (int i = 0; i < rows; i++) {
    const int64_t r = (int64_t)i * cols;
    for (int64_t j = c0; j < c1; j++) {
      const float v = g[r + j] * k;
      d[r + j] = o[r + j] > 0.f ? v : 0.f;
    }
  }
}

void reluDropoutBackward(Pool& pool, const float* out, const float* dy, float* dx, int rows, int cols, float scale,
                         float* db, bool accumulate) {
  const int64_t n = (int64_t)rows * cols;
  if (!db) {
    parallelFor(pool, n, CHUNK_ELEMENTS, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; i++) {
        const float g = dy[i] * scale;  // read unconditionally, so the loop vectorises
        dx[i] = out[i] > 0.f ? g : 0.f;
      }
    });
    return;
  }
  // dx over the chunk's columns first, then its column sums: both loops branch-free, so they vectorise (a branch on
  // out > 0 is taken at random, and the fused loop ran 5-10x slower).
  forColumnChunks(pool, rows, cols, [&](int64_t b, int64_t e) {
    reluDropoutColumns(out, dy, dx, rows, cols, b, e, scale);
    columnSums(dx, db, rows, cols, b, e, accumulate);
  });
}

void mul(Pool& pool, const float* a, const float* b, float* out, int64_t n) {
  parallelFor(pool, n, CHUNK_ELEMENTS, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; i++) out[i] = a[i] * b[i];
  });
}

void axpby(Pool& pool, const float* x, const float* y, float* out, int64_t n, float alpha, float beta) {
  parallelFor(pool, n, CHUNK_ELEMENTS, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; i++) out[i] = alpha * x[i] + beta * y[i];
  });
}

void softmax(const float* x, float* out, int rows, int cols) {
  for (int r = 0; r < rows; r++) {
    const float* row = x + (int64_t)r * cols;
    float mx = row[0];
    for (int c = 1; c < cols; c++) mx = std::fmax(mx, row[c]);
    double total = 0;
    for (int c = 0; c < cols; c++) total += std::exp((double)(row[c] - mx));
    for (int c = 0; c < cols; c++) out[(int64_t)r * cols + c] = (float)(std::exp((double)(row[c] - mx)) / total);
  }
}

void softmaxBackward(const float* y, const float* dy, float* dx, int rows, int cols) {
  for (int r = 0; r < rows; r++) {
    const int64_t o = (int64_t)r * cols;
    double dot = 0;
    for (int c = 0; c < cols; c++) dot += (double)dy[o + c] * y[o + c];
    for (int c = 0; c < cols; c++) dx[o + c] = (float)(y[o + c] * (dy[o + c] - dot));
  }
}

void gatherRows(Pool& pool, const float* src, const float* idx, float* out, int rows, int cols) {
  parallelFor(pool, rows, std::max<int64_t>(1, CHUNK_ELEMENTS / std::max(cols, 1)), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i++) std::memcpy(out + i * cols, src + (int64_t)idx[i] * cols, sizeof(float) * cols);
  });
}

void gatherPixels(Pool& pool, const uint8_t* src, const float* idx, float* out, int rows, int cols) {
  parallelFor(pool, rows, std::max<int64_t>(1, CHUNK_ELEMENTS / std::max(cols, 1)), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; i++) {
      const uint8_t* s = src + (int64_t)idx[i] * cols;
      float* o = out + i * cols;
      for (int c = 0; c < cols; c++) o[c] = (float)((double)s[c] / 255.0);
    }
  });
}

void copyCols(const float* src, float* dst, int rows, int srcCols, int dstCols, int srcCol, int dstCol, int cols) {
  for (int64_t r = 0; r < rows; r++) std::memmove(dst + r * dstCols + dstCol, src + r * srcCols + srcCol, sizeof(float) * cols);
}

void fill(Pool& pool, float* out, int64_t n, float value) {
  parallelFor(pool, n, CHUNK_ELEMENTS, [&](int64_t s, int64_t e) {
    for (int64_t i = s; i < e; i++) out[i] = value;
  });
}

void l2NormalizeRows(const float* x, float* out, int rows, int cols, double scale, const float* rowScales) {
  for (int r = 0; r < rows; r++) {
    const float* xr = x + (int64_t)r * cols;
    float* orow = out + (int64_t)r * cols;
    double s = 0;
    for (int c = 0; c < cols; c++) s += (double)xr[c] * xr[c];
    const double k = s > 0 ? scale * (rowScales ? (double)rowScales[r] : 1.0) / std::sqrt(s) : 0.0;
    for (int c = 0; c < cols; c++) orow[c] = (float)(k * xr[c]);
  }
}

void sum(const float* x, int64_t n, float* out) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += x[i];
  out[0] = (float)s;
}

void flagNonFinite(const float* x, int64_t n, float* flag) {
  for (int64_t i = 0; i < n; i++) {
    if (!std::isfinite(x[i])) {
      flag[0] = 1.f;
      return;
    }
  }
}
