// The addon's thread pool (see thread-pool.h). A worker that finishes a job spins for a short while
// (kSpin) watching for the next one before it sleeps on a condition variable, and the calling thread
// spins for the workers' chunks rather than sleeping: a training step hands the pool hundreds of short
// jobs, and on a virtual machine waking a sleeping thread takes tens of microseconds (measured: an Adam
// update of an MLP's 270k parameters took 3x longer on two threads than on one with sleep-only workers).
#include "thread-pool.h"

#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#ifdef MINIMA_DNNL
#include <omp.h>
#endif

#if defined(__x86_64__)
#include <immintrin.h>
#define MINIMA_PAUSE() _mm_pause()
#else
#define MINIMA_PAUSE() std::this_thread::yield()
#endif

namespace minima {

namespace {

constexpr auto kSpin = std::chrono::microseconds(100);

class Pool {
 public:
  Pool() {
    const char* env = std::getenv("MINIMA_NUM_THREADS");
    const int n = env ? std::atoi(env) : static_cast<int>(std::thread::hardware_concurrency());
    resize(std::max(1, n));
    openblas_set_num_threads(1);  // the pool splits GEMMs itself (gemm.cc)
  }
  ~Pool() { resize(1); }

  int size() const { return count_; }

  void resize(int n) {
    count_ = n;
#ifdef MINIMA_DNNL
    return;  // parallelFor runs on OpenMP's team: the pool keeps only the count
#endif
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_.store(true, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stop_.store(false, std::memory_order_relaxed);
    // Each worker starts from the generation as it is now: one read later, on the worker's own thread,
    // could already see the first job's generation and then wait for the one after, forever.
    const uint64_t start = generation_.load(std::memory_order_relaxed);
    for (int i = 1; i < n; i++) workers_.emplace_back([this, i, start] { loop(i, start); });
  }

  void run(int64_t n, const std::function<void(int64_t, int64_t)>& body) {
    const int parts = static_cast<int>(workers_.size()) + 1;
    body_ = &body;
    n_ = n;
    parts_ = parts;
    pending_.store(parts - 1, std::memory_order_relaxed);
    bool anyAsleep;
    {
      // Under the lock, so a worker about to sleep either sees this generation or is counted asleep.
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1, std::memory_order_release);
      anyAsleep = sleeping_ > 0;
    }
    if (anyAsleep) wake_.notify_all();
    chunk(0, n, parts, body);
    for (int i = 0; pending_.load(std::memory_order_acquire) != 0; i++) {
      if (i < 4096) MINIMA_PAUSE();
      else std::this_thread::yield();  // a worker lost its core: let it have this one
    }
    body_ = nullptr;
  }

 private:
  static void chunk(int part, int64_t n, int parts, const std::function<void(int64_t, int64_t)>& body) {
    const int64_t begin = n * part / parts, end = n * (part + 1) / parts;
    if (begin < end) body(begin, end);
  }

  // The next generation after seen: spun for at first, then slept for.
  uint64_t next(uint64_t seen) {
    const auto until = std::chrono::steady_clock::now() + kSpin;
    for (int i = 0;; i++) {
      const uint64_t g = generation_.load(std::memory_order_acquire);
      if (g != seen) return g;
      if ((i & 63) == 63 && std::chrono::steady_clock::now() > until) break;
      MINIMA_PAUSE();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    sleeping_++;
    wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    sleeping_--;
    return generation_.load(std::memory_order_acquire);
  }

  void loop(int part, uint64_t seen) {
    for (;;) {
      seen = next(seen);
      if (stop_.load(std::memory_order_relaxed)) return;
      chunk(part, n_, parts_, *body_);
      pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> pending_{0};
  int sleeping_ = 0;  // guarded by mutex_
  int count_ = 1;     // the threads a parallel job runs on, the caller's included
  // The job: written before generation_'s release increment, read after its acquire load.
  const std::function<void(int64_t, int64_t)>* body_ = nullptr;
  int64_t n_ = 0;
  int parts_ = 1;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

int numThreads() { return pool().size(); }

void setNumThreads(int n) {
  n = std::max(1, n);
  pool().resize(n);
}

// Where the addon links oneDNN, the work runs on OpenMP's team, the one oneDNN's convolutions run on, in the same
// chunks as the pool's (so the same bits): two teams on one machine's cores, each with a worker waiting for the
// next job, took turns at them (the captured CNN step 3.72 ms at 2 threads on minima's pool, 2.94 on OpenMP's,
// medians of 5 alternating processes; the captured MLP epoch the same either way).
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
  if (n <= 0) return;
  const int parts = pool().size();
  if (parts == 1 || n < 2 * grain) return body(0, n);
#ifdef MINIMA_DNNL
#pragma omp parallel num_threads(parts)
  {
    const int team = omp_get_num_threads();
    for (int part = omp_get_thread_num(); part < parts; part += team) {
      const int64_t begin = n * part / parts, end = n * (part + 1) / parts;
      if (begin < end) body(begin, end);
    }
  }
#else
  pool().run(n, body);
#endif
}

}  // namespace minima
