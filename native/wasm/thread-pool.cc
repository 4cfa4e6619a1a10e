// The thread pool of the threaded build (-matomics, shared memory): a job board in the module's memory. The host
// (src/backend/wasm/threads.ts) starts workers, each an instance of this module on the same shared memory that
// calls pool_worker() and stays in it; the calling instance posts a job (function, context, share count), bumps
// `generation` and notifies; each worker runs its share and counts `pending` down while the caller runs share 0
// and then waits until `pending` is 0: it spins a while, then atomic.waits where the host allows it (a browser's
// main thread may not wait, so there it only spins).
// Workers call nothing of wasi-libc that keeps state (malloc): its objects are built without atomics.
// The single-threaded build runs every share on the caller.
#include "thread-pool.h"

#include "export.h"

#ifdef __wasm_atomics__

namespace {

constexpr int MAX_THREADS = 16;

struct Board {
  int generation;     // bumped once per job; workers atomic.wait on it
  int joined;         // workers in pool_worker()
  int expected;       // workers the host started
  int threads;        // the threads a job is split across (the host's setting), ≤ joined + 1
  int pending;        // workers yet to finish the current job
  PoolShare share;    // null: leave pool_worker()
  void* ctx;
  int n;
  int jobs;           // jobs posted to workers so far (tests check that a product was split)
  int callerWaits;    // whether the calling thread may atomic.wait (not a browser's main thread)
};

// Loads the caller (of `pending`) and an idle worker (of `generation`) spin through before they atomic.wait: some
// tens of microseconds, about what waking a sleeping thread costs (about 40 µs in Node 20 with the second core idle),
// so the products of a training step, which follow each other closely, find their workers awake; a longer pause (or
// a worker the machine's load holds off) leaves the core to others.
constexpr int SPINS = 20000;

Board board;

int load(int* p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }

// Posts a job to every joined worker (each runs its share if its id < n) and waits, spinning, for all of them.
void post(PoolShare share, void* ctx, int n) {
  board.share = share;
  board.ctx = ctx;
  board.n = n;
  __atomic_store_n(&board.pending, load(&board.joined), __ATOMIC_SEQ_CST);
  __atomic_fetch_add(&board.generation, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&board.generation, ~0u);
}

void awaitWorkers() {
  for (int i = 0; i < SPINS; i++) {
    if (load(&board.pending) == 0) return;
  }
  for (int p; (p = load(&board.pending)) != 0;) {
    if (board.callerWaits) __builtin_wasm_memory_atomic_wait32(&board.pending, p, -1);
  }
}

}  // namespace

int poolThreads() {
  int joined = load(&board.joined);
  // Until every worker the host started has joined, one thread (a job's workers are then a fixed set).
  if (joined != load(&board.expected)) return 1;
  int t = board.threads < joined + 1 ? board.threads : joined + 1;
  return t < 1 ? 1 : t;
}

void poolRun(PoolShare share, void* ctx, int n) {
  if (n <= 1) {
    share(ctx, 0, 1);
    return;
  }
  board.jobs++;
  post(share, ctx, n);
  share(ctx, 0, n);
  awaitWorkers();
}

// A worker instance's loop: joins (its id is its order of joining, so ids 1 … joined are all present), then runs its
// share of each job until a job without a share tells it to return.
WASM_EXPORT(pool_worker) void poolWorker() {
  int seen = load(&board.generation);  // read before joining: a job posted after the join is seen as new
  int id = __atomic_fetch_add(&board.joined, 1, __ATOMIC_SEQ_CST) + 1;
  for (;;) {
    for (int i = 0; i < SPINS && load(&board.generation) == seen; i++) {
    }
    while (load(&board.generation) == seen) __builtin_wasm_memory_atomic_wait32(&board.generation, seen, -1);
    seen = load(&board.generation);
    PoolShare share = board.share;  // stable: the caller posts nothing new before this worker counts down
    if (share && id < board.n) share(board.ctx, id, board.n);
    if (__atomic_sub_fetch(&board.pending, 1, __ATOMIC_SEQ_CST) == 0) __builtin_wasm_memory_atomic_notify(&board.pending, 1);
    if (!share) return;
  }
}

// The host says how many workers it started (they join as they start), how many threads a job may use, and whether
// the calling thread may atomic.wait.
WASM_EXPORT(pool_configure) void poolConfigure(int workers, int threads, int callerWaits) {
  board.callerWaits = callerWaits;
  __atomic_store_n(&board.expected, workers, __ATOMIC_SEQ_CST);
  board.threads = threads < 1 ? 1 : threads > MAX_THREADS ? MAX_THREADS : threads;
}

// Workers joined so far (the host waits for all before it counts on them).
WASM_EXPORT(pool_joined) int poolJoined() { return load(&board.joined); }

// Jobs split across workers so far.
WASM_EXPORT(pool_jobs) int poolJobs() { return board.jobs; }

// Sends every joined worker out of pool_worker() and waits until they have left.
WASM_EXPORT(pool_shutdown) void poolShutdown() {
  if (load(&board.joined) > 0) {
    post(nullptr, nullptr, 0);
    awaitWorkers();
  }
  __atomic_store_n(&board.joined, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&board.expected, 0, __ATOMIC_SEQ_CST);
}

#else

int poolThreads() { return 1; }

void poolRun(PoolShare share, void* ctx, int) { share(ctx, 0, 1); }

#endif
