/*
 * What this CPU can do at best, for the benchmarks' reference lines (built and run by
 * bench/common.ts with the machine's C compiler, -O3 -march=native):
 *   limits fma T     float32 FMA peak, GFLOP/s, of T threads each running independent chains
 *                    of fused multiply-adds on the widest vectors compiled for (512-bit where
 *                    AVX-512 exists, else 256-bit), enough chains to cover the FMA latency
 *                    (best of 5 runs: a peak);
 *   limits stream T  memory bandwidth, GB/s, of T threads making Adam's pass without its
 *                    arithmetic over 10M floats: read p, g, m, v and write p, m, v in place
 *                    (median of 21 runs, like the timings it is compared with).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__AVX512F__)
#define BYTES 64
#else
#define BYTES 32
#endif
typedef float vec __attribute__((vector_size(BYTES)));
#define LANES (BYTES / 4)
#define CHAINS 12
#define ITERS 50000000L
#define N 10000000L

volatile float sink[64]; /* volatile: the chains must be computed */
static float *P, *G, *M, *V;
static int threads;

static void *fma_chains(void *arg) {
  vec acc[CHAINS], a, b;
  for (int i = 0; i < LANES; i++) { a[i] = 0.9999999f; b[i] = 1e-7f; }
  for (int c = 0; c < CHAINS; c++) for (int i = 0; i < LANES; i++) acc[c][i] = (float)(c + i) * 1e-3f;
  for (long k = 0; k < ITERS; k++) {
    __asm__ volatile("" : "+x"(a), "+x"(b)); /* opaque: the compiler cannot fold the chains */
#pragma GCC unroll 16
    for (int c = 0; c < CHAINS; c++) acc[c] = acc[c] * a + b;
  }
  float s = 0;
  for (int c = 0; c < CHAINS; c++) for (int i = 0; i < LANES; i++) s += acc[c][i];
  sink[(long)arg] = s;
  return NULL;
}

static void *stream(void *arg) {
  long t = (long)arg, lo = N * t / threads, hi = N * (t + 1) / threads;
  for (long i = lo; i < hi; i++) {
    float g = G[i], m = M[i] + g, v = V[i] + g;
    M[i] = m; V[i] = v; P[i] += m - v;
  }
  return NULL;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Seconds of `runs` runs of `fn` on every thread: the best (`median` 0) or the median. */
static double timed(void *(*fn)(void *), int runs, int median) {
  pthread_t tid[64];
  double t[64];
  for (int r = 0; r < runs; r++) {
    double start = now();
    for (long k = 0; k < threads; k++) pthread_create(&tid[k], NULL, fn, (void *)k);
    for (int k = 0; k < threads; k++) pthread_join(tid[k], NULL);
    t[r] = now() - start;
  }
  qsort(t, runs, sizeof t[0], by_value);
  return median ? t[runs / 2] : t[0];
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: limits fma|stream THREADS\n"); return 2; }
  threads = atoi(argv[2]);
  if (threads < 1 || threads > 64) return 2;
  if (!strcmp(argv[1], "fma")) {
    printf("%.1f %d\n", 2.0 * LANES * CHAINS * ITERS * threads / timed(fma_chains, 5, 0) / 1e9, BYTES * 8);
    return 0;
  }
  float **arrays[] = {&P, &G, &M, &V};
  for (int a = 0; a < 4; a++) {
    *arrays[a] = aligned_alloc(64, N * sizeof(float));
    for (long i = 0; i < N; i++) (*arrays[a])[i] = 1e-3f * (i % 7);
  }
  printf("%.1f\n", 7.0 * 4 * N / timed(stream, 21, 1) / 1e9);
  return 0;
}
