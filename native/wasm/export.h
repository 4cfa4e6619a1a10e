// WASM_EXPORT(name) makes a function an export of the module under that name (src/backend/wasm calls it).
#pragma once
#include <stddef.h>
#include <stdint.h>

#define WASM_EXPORT(name) extern "C" __attribute__((export_name(#name), used))
