// The addon's thread pool (see thread-pool.h): workers sleep on a condition variable between jobs.
#include "thread-pool.h"

#include <cblas.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace minima {

namespace {

class Pool {
 public:
  Pool() {
    const char* env = std::getenv("MINIMA_NUM_THREADS");
    const int n = env ? std::atoi(env) : static_cast<int>(std::thread::hardware_concurrency());
    resize(std::max(1, n));
    openblas_set_num_threads(1);  // the pool splits GEMMs itself (gemm.cc)
  }
  ~Pool() { resize(1); }

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void resize(int n) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      generation_++;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    stop_ = false;
    // Each worker starts from the generation as it is now: one read later, on the worker's own thread,
    // could already see the first job's generation and then wait for the one after, forever.
    const uint64_t start = generation_;
    for (int i = 1; i < n; i++) workers_.emplace_back([this, i, start] { loop(i, start); });
  }

  void run(int64_t n, const std::function<void(int64_t, int64_t)>& body) {
    const int parts = size();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      n_ = n;
      parts_ = parts;
      pending_ = parts - 1;
      generation_++;
    }
    wake_.notify_all();
    chunk(0, n, parts, body);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    body_ = nullptr;
  }

 private:
  static void chunk(int part, int64_t n, int parts, const std::function<void(int64_t, int64_t)>& body) {
    const int64_t begin = n * part / parts, end = n * (part + 1) / parts;
    if (begin < end) body(begin, end);
  }

  void loop(int part, uint64_t seen) {
    for (;;) {
      const std::function<void(int64_t, int64_t)>* body;
      int64_t n;
      int parts;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
        if (stop_) return;
        body = body_;
        n = n_;
        parts = parts_;
      }
      if (body) chunk(part, n, parts, *body);
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;
  bool stop_ = false;
  const std::function<void(int64_t, int64_t)>* body_ = nullptr;
  int64_t n_ = 0;
  int parts_ = 1;
  int pending_ = 0;
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

void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
  if (n <= 0) return;
  if (pool().size() == 1 || n < 2 * grain) return body(0, n);
  pool().run(n, body);
}

}  // namespace minima
