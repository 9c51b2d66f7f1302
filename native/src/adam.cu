// Fused multi-tensor Adam (torch.optim.Adam semantics): one launch updates every tensor of an optimiser.
// Launch: grid (chunks, count): blockIdx.y picks the table entry, blocks stride over its elements. Thread 0 of each
// block computes the step scalars (stepSize = lr / (1 - beta1^t), sqrt(1 - beta2^t)) in double from
// t = step + shift->step, so a replayed CUDA Graph applies the right bias correction; moments below FLT_MIN are
// flushed to zero exactly as the Wasm kernel does (asm/adam.ts), so both backends follow the same arithmetic.
#include <cfloat>
#include <cmath>

#include "check.cuh"
#include "kernels.h"

namespace {

__global__ void adamK(const AdamEntry* table, const GraphShift* shift, double lr, double beta1, double beta2, float eps,
                      float wd, double step) {
  __shared__ float stepSize, bc2Sqrt;
  if (threadIdx.x == 0) {
    const double t = step + (double)shift->step;
    stepSize = (float)(lr / (1.0 - pow(beta1, t)));
    bc2Sqrt = (float)sqrt(1.0 - pow(beta2, t));
  }
  __syncthreads();
  // 1 - beta rounded once from double (as asm/adam.ts): 1.f - 0.999f would be 1.3e-5 off 0.001.
  const float b1 = (float)beta1, b2 = (float)beta2, omb1 = (float)(1.0 - beta1), omb2 = (float)(1.0 - beta2);
  const AdamEntry e = table[blockIdx.y];
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < e.n; i += (int64_t)gridDim.x * blockDim.x) {
    const float p = e.param[i];
    float g = e.grad[i];
    if (wd != 0.f) g += wd * p;
    float m = b1 * e.m[i] + omb1 * g;
    float v = b2 * e.v[i] + (omb2 * g) * g;
    if (fabsf(m) < FLT_MIN) m = 0.f;
    if (v < FLT_MIN) v = 0.f;
    e.m[i] = m;
    e.v[i] = v;
    const float denom = sqrtf(v) / bc2Sqrt + eps;
    e.param[i] = p - stepSize * (m / denom);
  }
}

}  // namespace

void adam(const AdamEntry* table, int count, int64_t maxN, double lr, double beta1, double beta2, double eps,
          double weightDecay, double step, const GraphShift* shift, cudaStream_t s) {
  if (count <= 0) return;
  int64_t chunks = (maxN + 255) / 256;
  if (chunks < 1) chunks = 1;
  if (chunks > 256) chunks = 256;
  adamK<<<dim3((unsigned)chunks, (unsigned)count), 256, 0, s>>>(table, shift, lr, beta1, beta2, (float)eps,
                                                                (float)weightDecay, step);
  checkLaunch("adam");
}
