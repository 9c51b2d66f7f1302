#include "pool.h"

#if defined(AAE_X86)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() std::this_thread::yield()
#endif

namespace {
// Pause iterations a worker spins before it sleeps: about 50-100 microseconds, the gap between back-to-back ops.
constexpr int SPIN = 2000;
}  // namespace

Pool::Pool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int tid = 1; tid < threads_; tid++) workers_.emplace_back([this, tid] { worker(tid); });
}

Pool::~Pool() {
  stop_.store(true);
  generation_.fetch_add(1);
  generation_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void Pool::dispatch(const Job& job, int nth) {
  job_ = job;
  nth_ = nth;
  // Every worker takes part in every job (those with tid >= nth only check in), so none can lag behind into the
  // next job's arguments.
  pending_.store(threads_ - 1);
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  job.call(job.fn, 0, nth);
  for (int i = 0; pending_.load(std::memory_order_acquire) != 0; i++) {
    if (i < SPIN) {
      CPU_RELAX();
    } else {
      const int p = pending_.load(std::memory_order_acquire);
      if (p != 0) pending_.wait(p);
    }
  }
}

void Pool::worker(int tid) {
  uint32_t seen = 0;
  for (;;) {
    uint32_t gen = generation_.load(std::memory_order_acquire);
    for (int i = 0; i < SPIN && gen == seen; i++) {
      CPU_RELAX();
      gen = generation_.load(std::memory_order_acquire);
    }
    if (gen == seen) {
      generation_.wait(seen);
      continue;
    }
    seen = gen;
    if (stop_.load()) return;
    if (tid < nth_) job_.call(job_.fn, tid, nth_);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}
