// Fused multi-tensor Adam (torch.optim.Adam semantics), arithmetic as asm/adam.ts and native/src/adam.cu: the bias
// corrections in double, the update in float32, moments below FLT_MIN flushed to zero. Each tensor's elements are
// split over the pool's threads. The loop is cloned per instruction set (clones.h): its square roots and divisions
// run 8 lanes wide instead of 4, with the same bits.
#include <cfloat>
#include <cmath>

#include "clones.h"
#include "kernels.h"

namespace {
struct Step {
  float stepSize, bc2Sqrt, b1, b2, omb1, omb2, eps, wd;
};

// Elements [begin, end) of one tensor; the weight decay is a template argument so that the loop has no branch and
// vectorises.
template <bool DECAY>
AAE_CLONES void adamRange(const AdamEntry& e, const Step& s, int64_t begin, int64_t end) {
  float* __restrict param = e.param;
  const float* __restrict grad = e.grad;
  float* __restrict mom = e.m;
  float* __restrict vel = e.v;
  for (int64_t i = begin; i < end; i++) {
    const float p = param[i];
    float g = grad[i];
    if constexpr (DECAY) g += s.wd * p;
    float m = s.b1 * mom[i] + s.omb1 * g;
    float v = s.b2 * vel[i] + (s.omb2 * g) * g;
    m = std::fabs(m) < FLT_MIN ? 0.f : m;
    v = v < FLT_MIN ? 0.f : v;
    mom[i] = m;
    vel[i] = v;
    const float denom = std::sqrt(v) / s.bc2Sqrt + s.eps;
    param[i] = p - s.stepSize * (m / denom);
  }
}
}  // namespace

void adam(Pool& pool, const AdamEntry* table, int count, double lr, double beta1, double beta2, double eps,
          double weightDecay, double step) {
  // 1 - beta rounded once from double (as asm/adam.ts): 1.f - 0.999f would be 1.3e-5 off 0.001.
  const Step s{(float)(lr / (1.0 - std::pow(beta1, step))), (float)std::sqrt(1.0 - std::pow(beta2, step)), (float)beta1,
               (float)beta2, (float)(1.0 - beta1), (float)(1.0 - beta2), (float)eps, (float)weightDecay};
  for (int t = 0; t < count; t++) {
    const AdamEntry& e = table[t];
    parallelFor(pool, e.n, 2 * CHUNK_ELEMENTS, [&](int64_t b, int64_t end) {
      if (s.wd != 0.f) adamRange<true>(e, s, b, end);
      else adamRange<false>(e, s, b, end);
    });
  }
}
