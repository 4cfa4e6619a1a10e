// The module's memory: blocks for the arrays a kernel call reads and writes, from wasi-libc's malloc.
#include <stdlib.h>

#include "export.h"

// A block of `bytes`, 16-aligned (SIMD loads), or 0 when memory cannot grow that far.
WASM_EXPORT(alloc) void* wasmAlloc(size_t bytes) { return aligned_alloc(16, (bytes + 15) & ~size_t(15)); }

WASM_EXPORT(release) void wasmRelease(void* p) { free(p); }
