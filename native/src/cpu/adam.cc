// Fused multi-tensor Adam (torch.optim.Adam semantics), arithmetic as asm/adam.ts and native/src/adam.cu: the bias
// corrections in double, the update in float32, moments below FLT_MIN flushed to zero. Each tensor's elements are
// split over the pool's threads.
#include <cfloat>
#include <cmath>

#include "kernels.h"

void adam(Pool& pool, const AdamEntry* table, int count, double lr, double beta1, double beta2, double eps,
          double weightDecay, double step) {
  const float stepSize = (float)(lr / (1.0 - std::pow(beta1, step)));
  const float bc2Sqrt = (float)std::sqrt(1.0 - std::pow(beta2, step));
  // 1 - beta rounded once from double (as asm/adam.ts): 1.f - 0.999f would be 1.3e-5 off 0.001.
  const float b1 = (float)beta1, b2 = (float)beta2, omb1 = (float)(1.0 - beta1), omb2 = (float)(1.0 - beta2);
  const float ep = (float)eps, wd = (float)weightDecay;
  for (int t = 0; t < count; t++) {
    const AdamEntry e = table[t];
    parallelFor(pool, e.n, 2 * CHUNK_ELEMENTS, [&](int64_t s, int64_t end) {
      for (int64_t i = s; i < end; i++) {
        const float p = e.param[i];
        float g = e.grad[i];
        if (wd != 0.f) g += wd * p;
        float m = b1 * e.m[i] + omb1 * g;
        float v = b2 * e.v[i] + (omb2 * g) * g;
        if (std::fabs(m) < FLT_MIN) m = 0.f;
        if (v < FLT_MIN) v = 0.f;
        e.m[i] = m;
        e.v[i] = v;
        const float denom = std::sqrt(v) / bc2Sqrt + ep;
        e.param[i] = p - stepSize * (m / denom);
      }
    });
  }
}
