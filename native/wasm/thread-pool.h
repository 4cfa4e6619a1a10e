// The module's thread pool (thread-pool.cc): runs a job's shares on the calling instance and on worker instances
// that share its memory (threaded build), or all on the caller (single-threaded build).
#pragma once

// A share of a job: `t` of `n` (0 … n−1), on `ctx`; the caller runs share 0.
typedef void (*PoolShare)(void* ctx, int t, int n);

// The threads a job may be split across now: 1 until every worker the host started has joined.
int poolThreads();

// Runs share(ctx, t, n) for t = 0 … n−1 (n ≤ poolThreads()) and returns when all have finished. `ctx` must be in
// linear memory (the workers read it there), such as a local whose address is taken.
void poolRun(PoolShare share, void* ctx, int n);
