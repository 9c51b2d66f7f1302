// AAE_CLONES: a memory-bound loop compiled for AVX-512, AVX2 and the x86-64 baseline, the variant picked by the CPU
// when the addon loads (GCC's target_clones); elsewhere an ordinary function. The files using it are compiled with
// -ffp-contract=off (native/CMakeLists.txt, bindings.gyp), so no variant fuses a multiply and an add: every variant
// rounds each operation as the baseline does and gives the same bits.
#pragma once

#if defined(AAE_X86) && defined(__GNUC__) && !defined(__clang__)
#define AAE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define AAE_CLONES
#endif
