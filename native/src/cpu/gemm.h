// The CPU backend's GEMM: C (M, N) = act(op(A) op(B) + bias [+ C]), one blocked driver (gemm-driver.h) compiled
// for AVX-512, AVX2 + FMA and a portable path; gemm() picks the best the CPU reports at first use.
#pragma once
#include <cstdint>

class Pool;

enum GemmAct : int { GEMM_NONE = 0, GEMM_RELU = 1, GEMM_SIGMOID = 2 };

// Below this many flops a GEMM runs on the calling thread alone.
constexpr double GEMM_PARALLEL_MIN_FLOPS = 1 << 20;

struct GemmArgs {
  const float* a;
  const float* b;
  float* c;
  const float* bias;  // (N) or null
  int M, N, K;
  bool transA, transB, accumulate;
  int act;
};

#if defined(AAE_X86)
void gemmAvx512(const GemmArgs& g, Pool& pool);
void gemmAvx2(const GemmArgs& g, Pool& pool);
// Peak probes: `steps` rounds of independent FMAs in registers; return the flops done (plus a negligible sum of the
// results, so the compiler keeps the loop).
double fmaProbeAvx512(int64_t steps);
double fmaProbeAvx2(int64_t steps);
#endif
void gemmPortable(const GemmArgs& g, Pool& pool);

using GemmFn = void (*)(const GemmArgs&, Pool&);

// The best instruction set this build and this CPU support: "avx512", "avx2" or "portable".
const char* bestIsa();
bool isaSupported(const char* isa);
// The GEMM for an instruction set, or null where this build or CPU lacks it.
GemmFn gemmFor(const char* isa);

// The FMA peak of an instruction set with SIMD registers ("avx512" or "avx2") on `threads` threads of the pool, in
// GFLOP/s, measured over about `seconds`; 0 where the instruction set has no probe (portable) or is unsupported.
double fmaPeakGflops(const char* isa, Pool& pool, double seconds);
