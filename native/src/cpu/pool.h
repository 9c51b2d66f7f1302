// A persistent thread pool for the CPU backend: the calling thread plus (threads - 1) workers. run(chunks, fn) calls
// fn(chunk) once for every chunk in [0, chunks) and returns when all have finished. Chunks are claimed dynamically,
// the calling thread included, so a worker the OS has not scheduled (other processes on the cores) delays a job by
// at most the chunk it has claimed, never by the time it takes to wake: with the cores oversubscribed, the caller
// does the chunks itself. Which thread runs a chunk never changes its result (a chunk is fixed by its index), so
// results do not depend on the thread count or on timing. Workers spin briefly between jobs (a training step issues
// its ops back to back), then sleep on the generation counter.
#pragma once
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

class Pool {
 public:
  explicit Pool(int threads);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  int threads() const { return threads_; }

  // Runs fn(chunk) for chunk in [0, chunks); chunks <= MAX_CHUNKS.
  template <typename F>
  void run(int64_t chunks, F&& fn) {
    if (threads_ <= 1 || chunks <= 1) {
      for (int64_t c = 0; c < chunks; c++) fn(c);
      return;
    }
    dispatch(Job{&fn, [](void* f, int64_t chunk) { (*static_cast<F*>(f))(chunk); }}, chunks);
  }

  static constexpr int64_t MAX_CHUNKS = (int64_t)1 << 20;

 private:
  struct Job {
    void* fn;
    void (*call)(void*, int64_t);
  };
  void dispatch(const Job& job, int64_t chunks);
  // Claims and runs chunks of job `gen` until none is left.
  void work(uint32_t gen);
  void worker();

  int threads_;
  std::vector<std::thread> workers_;
  Job job_{};
  // The current job's claim word: generation (24 bits) | chunk count (20 bits) | next chunk (20 bits).
  std::atomic<uint64_t> ticket_{0};
  std::atomic<int64_t> done_{0};
  std::atomic<uint32_t> generation_{0};
  std::atomic<bool> stop_{false};
};

// Splits [0, n) into `parts` contiguous parts, aligned to `align`: part p is [begin, end).
inline void splitRange(int64_t n, int64_t p, int64_t parts, int64_t align, int64_t& begin, int64_t& end) {
  const int64_t units = (n + align - 1) / align;
  const int64_t per = (units + parts - 1) / parts;
  begin = p * per * align;
  end = (p + 1) * per * align;
  if (begin > n) begin = n;
  if (end > n) end = n;
}
