// Fused multi-tensor Adam (torch.optim.Adam semantics): one launch updates every tensor of an optimiser.
// Launch: grid (chunks, count): blockIdx.y picks the table entry, blocks stride over its elements. The step scalars
// (stepSize, sqrt(bias correction 2)) are computed in double on the host once per launch; moments below FLT_MIN are flushed to zero
// exactly as the Wasm kernel does (asm/adam.ts), so both backends follow the same arithmetic.
#include <cfloat>
#include <cmath>

#include "check.cuh"
#include "kernels.h"

namespace {

__global__ void adamK(const AdamEntry* table, float b1, float b2, float eps, float wd, float stepSize, float bc2Sqrt) {
  const AdamEntry e = table[blockIdx.y];
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < e.n; i += (int64_t)gridDim.x * blockDim.x) {
    const float p = e.param[i];
    float g = e.grad[i];
    if (wd != 0.f) g += wd * p;
    float m = b1 * e.m[i] + (1.f - b1) * g;
    float v = b2 * e.v[i] + ((1.f - b2) * g) * g;
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
          double weightDecay, double step, cudaStream_t s) {
  if (count <= 0) return;
  const double bc1 = 1 - std::pow(beta1, step);
  const double bc2 = 1 - std::pow(beta2, step);
  int64_t chunks = (maxN + 255) / 256;
  if (chunks < 1) chunks = 1;
  if (chunks > 256) chunks = 256;
  adamK<<<dim3((unsigned)chunks, (unsigned)count), 256, 0, s>>>(table, (float)beta1, (float)beta2, (float)eps,
                                                                (float)weightDecay, (float)(lr / bc1), (float)std::sqrt(bc2));
  checkLaunch("adam");
}
