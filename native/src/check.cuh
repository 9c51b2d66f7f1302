// CUDA error handling: every failure becomes a C++ exception carrying the op name and CUDA's error string, which
// addon.cc turns into a JavaScript exception. Nothing here exits or aborts.
#pragma once
#include <cuda_runtime.h>
#include <stdexcept>
#include <string>

struct CudaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline void check(cudaError_t status, const char* op) {
  if (status != cudaSuccess) throw CudaError(std::string("cuda.") + op + ": " + cudaGetErrorString(status));
}

// After a kernel launch: launch-configuration errors are reported at once; execution errors surface at the next
// synchronising call (download), which checks too.
inline void checkLaunch(const char* op) { check(cudaGetLastError(), op); }
