// A persistent thread pool for the CPU backend: the calling thread plus (threads - 1) workers. run(nth, fn) calls
// fn(tid, nth) on nth threads (the caller is tid 0) and returns when every one has finished. Workers spin briefly
// between jobs (a training step issues its ops back to back), then sleep on the generation counter.
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

  template <typename F>
  void run(int nth, F&& fn) {
    if (nth > threads_) nth = threads_;
    if (nth <= 1) {
      fn(0, 1);
      return;
    }
    Job job{&fn, [](void* f, int tid, int n) { (*static_cast<F*>(f))(tid, n); }};
    dispatch(job, nth);
  }

 private:
  struct Job {
    void* fn;
    void (*call)(void*, int, int);
  };
  void dispatch(const Job& job, int nth);
  void worker(int tid);

  int threads_;
  std::vector<std::thread> workers_;
  Job job_{};
  int nth_ = 0;
  std::atomic<uint32_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stop_{false};
};

// Splits [0, n) into nth contiguous parts, aligned to `align`: part tid is [begin, end).
inline void splitRange(int64_t n, int tid, int nth, int64_t align, int64_t& begin, int64_t& end) {
  const int64_t units = (n + align - 1) / align;
  const int64_t per = (units + nth - 1) / nth;
  begin = tid * per * align;
  end = (tid + 1) * per * align;
  if (begin > n) begin = n;
  if (end > n) end = n;
}
