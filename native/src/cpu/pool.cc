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

constexpr uint64_t pack(uint32_t gen, int64_t chunks, int64_t next) {
  return ((uint64_t)(gen & 0xFFFFFF) << 40) | ((uint64_t)chunks << 20) | (uint64_t)next;
}
constexpr uint32_t genOf(uint64_t t) { return (uint32_t)(t >> 40); }
constexpr int64_t chunksOf(uint64_t t) { return (int64_t)((t >> 20) & 0xFFFFF); }
constexpr int64_t nextOf(uint64_t t) { return (int64_t)(t & 0xFFFFF); }
}  // namespace

Pool::Pool(int threads) : threads_(threads < 1 ? 1 : threads) {
  for (int i = 1; i < threads_; i++) workers_.emplace_back([this] { worker(); });
}

Pool::~Pool() {
  stop_.store(true);
  generation_.fetch_add(1);
  generation_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void Pool::work(uint32_t gen) {
  uint64_t t = ticket_.load(std::memory_order_acquire);
  for (;;) {
    if (genOf(t) != (gen & 0xFFFFFF) || nextOf(t) >= chunksOf(t)) return;
    // A successful claim proves the job is still running: its fields stay valid until this chunk is counted done.
    if (ticket_.compare_exchange_weak(t, t + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
      job_.call(job_.fn, nextOf(t));
      done_.fetch_add(1, std::memory_order_release);
      t = ticket_.load(std::memory_order_acquire);
    }
  }
}

void Pool::dispatch(const Job& job, int64_t chunks) {
  const uint32_t gen = generation_.load(std::memory_order_relaxed) + 1;
  job_ = job;
  done_.store(0, std::memory_order_relaxed);
  ticket_.store(pack(gen, chunks, 0), std::memory_order_release);
  generation_.store(gen, std::memory_order_release);
  generation_.notify_all();
  work(gen);
  // Chunks claimed by workers that are still running them.
  for (int i = 0; done_.load(std::memory_order_acquire) != chunks; i++) {
    if (i < SPIN) CPU_RELAX();
    else std::this_thread::yield();
  }
}

void Pool::worker() {
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
    work(gen);
  }
}
