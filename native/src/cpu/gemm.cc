#include "gemm.h"

#include <chrono>
#include <cstring>
#include <vector>

#include "pool.h"

const char* bestIsa() {
#if defined(AAE_X86)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "avx512";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2";
#endif
  return "portable";
}

bool isaSupported(const char* isa) {
  if (std::strcmp(isa, "portable") == 0) return true;
#if defined(AAE_X86)
  __builtin_cpu_init();
  if (std::strcmp(isa, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (std::strcmp(isa, "avx512") == 0) return __builtin_cpu_supports("avx512f");
#endif
  return false;
}

GemmFn gemmFor(const char* isa) {
  if (!isaSupported(isa)) return nullptr;
#if defined(AAE_X86)
  if (std::strcmp(isa, "avx512") == 0) return gemmAvx512;
  if (std::strcmp(isa, "avx2") == 0) return gemmAvx2;
#endif
  return gemmPortable;
}

double fmaPeakGflops(const char* isa, Pool& pool, double seconds) {
#if defined(AAE_X86)
  double (*probe)(int64_t) = nullptr;
  if (std::strcmp(isa, "avx512") == 0 && isaSupported(isa)) probe = fmaProbeAvx512;
  if (std::strcmp(isa, "avx2") == 0 && isaSupported(isa)) probe = fmaProbeAvx2;
  if (!probe) return 0;
  probe(100000);  // wake the cores (and the wide units) before timing
  int64_t steps = 1 << 20;
  for (;;) {
    std::vector<double> flops(pool.threads());
    const auto t0 = std::chrono::steady_clock::now();
    pool.run(pool.threads(), [&](int64_t part) { flops[part] = probe(steps); });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s >= seconds || steps >= (int64_t)1 << 34) {
      double total = 0;
      for (double f : flops) total += f;
      return total / s / 1e9;
    }
    steps *= 2;
  }
#else
  (void)isa;
  (void)pool;
  (void)seconds;
  return 0;
#endif
}
