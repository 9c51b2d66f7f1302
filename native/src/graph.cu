// CUDA Graph support: the shift a replayed training iteration applies to its random streams and Adam steps lives
// in device memory (struct GraphShift, kernels.h), written by this one-thread kernel on the stream just before
// cudaGraphLaunch, so the captured kernels (which hold a pointer to it) read the values of this replay.
#include "check.cuh"
#include "kernels.h"

namespace {

__global__ void setGraphShiftK(GraphShift* shift, uint64_t rng, int64_t step) {
  shift->rng = rng;
  shift->step = step;
}

}  // namespace

void setGraphShift(GraphShift* shift, uint64_t rng, int64_t step, cudaStream_t s) {
  setGraphShiftK<<<1, 1, 0, s>>>(shift, rng, step);
  checkLaunch("graph.launch");
}
