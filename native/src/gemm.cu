// Tiled SGEMM with register blocking and a fused epilogue:
//   C (M, N) = act(op(A) op(B) + bias [+ C_old])
// Launch: grid (ceil(N/64), ceil(M/64)), 256 threads. Each block stages a 64 x 16 tile of op(A) and a 16 x 64 tile
// of op(B) in shared memory per step of 16 along K (transposes are resolved while staging, with coalesced global
// reads for every layout), and each thread accumulates a 4 x 4 register tile of C at rows ty + 16 i, columns
// tx + 16 j (conflict-free shared reads, coalesced stores). Edges are zero-padded in shared memory and masked at
// the store. The epilogue adds the old C (accumulate), the bias, and applies ReLU or sigmoid.
#include "check.cuh"
#include "kernels.h"

namespace {

constexpr int TILE = 64;
constexpr int BK = 16;

template <bool TA, bool TB>
__global__ void __launch_bounds__(256) sgemm(const float* __restrict__ A, const float* __restrict__ B, float* C,
                                             const float* __restrict__ bias, int M, int N, int K, bool accumulate, int act) {
  __shared__ float As[BK][TILE + 4];  // As[k][m]
  __shared__ float Bs[BK][TILE + 4];  // Bs[k][n]
  const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  const int m0 = blockIdx.y * TILE, n0 = blockIdx.x * TILE;
  float acc[4][4] = {};
  for (int k0 = 0; k0 < K; k0 += BK) {
    for (int i = threadIdx.x; i < TILE * BK; i += 256) {
      // A (M, K): neighbouring threads read neighbouring k; A^T stored (K, M): neighbouring m.
      const int mm = TA ? i % TILE : i / BK, kk = TA ? i / TILE : i % BK;
      const int gm = m0 + mm, gk = k0 + kk;
      As[kk][mm] = (gm < M && gk < K) ? (TA ? A[(size_t)gk * M + gm] : A[(size_t)gm * K + gk]) : 0.f;
    }
    for (int i = threadIdx.x; i < TILE * BK; i += 256) {
      // B (K, N): neighbouring n; B^T stored (N, K): neighbouring k.
      const int nn = TB ? i / BK : i % TILE, kk = TB ? i % BK : i / TILE;
      const int gn = n0 + nn, gk = k0 + kk;
      Bs[kk][nn] = (gn < N && gk < K) ? (TB ? B[(size_t)gn * K + gk] : B[(size_t)gk * N + gn]) : 0.f;
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < BK; kk++) {
      float a[4], b[4];
#pragma unroll
      for (int i = 0; i < 4; i++) a[i] = As[kk][ty + 16 * i];
#pragma unroll
      for (int j = 0; j < 4; j++) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
      for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 4; i++) {
    const int gm = m0 + ty + 16 * i;
    if (gm >= M) continue;
#pragma unroll
    for (int j = 0; j < 4; j++) {
      const int gn = n0 + tx + 16 * j;
      if (gn >= N) continue;
      float v = acc[i][j];
      float* p = C + (size_t)gm * N + gn;
      if (accumulate) v += *p;
      if (bias) v += bias[gn];
      if (act == ACT_RELU) v = v > 0.f ? v : 0.f;
      else if (act == ACT_SIGMOID) v = (float)(1.0 / (1.0 + exp(-(double)v)));
      *p = v;
    }
  }
}

}  // namespace

void gemm(const float* a, const float* b, float* c, const float* bias, int M, int N, int K, bool transA, bool transB,
          bool accumulate, int act, cudaStream_t stream) {
  if (M <= 0 || N <= 0) return;
  const dim3 grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE);
  if (transA && transB) sgemm<true, true><<<grid, 256, 0, stream>>>(a, b, c, bias, M, N, K, accumulate, act);
  else if (transA) sgemm<true, false><<<grid, 256, 0, stream>>>(a, b, c, bias, M, N, K, accumulate, act);
  else if (transB) sgemm<false, true><<<grid, 256, 0, stream>>>(a, b, c, bias, M, N, K, accumulate, act);
  else sgemm<false, false><<<grid, 256, 0, stream>>>(a, b, c, bias, M, N, K, accumulate, act);
  checkLaunch("matmul");
}
