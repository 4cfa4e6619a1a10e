// Runtime dispatch: a function marked MINIMA_SIMD is compiled twice, for AVX2+FMA (Haswell and later) and
// for the portable x86-64 baseline, and the loader picks the clone the CPU supports. Templates it calls
// are inlined into each clone, so their loops vectorize for both.
#pragma once
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MINIMA_SIMD __attribute__((target_clones("arch=haswell", "default")))
#else
#define MINIMA_SIMD
#endif
#define MINIMA_INLINE inline __attribute__((always_inline))
