{
  "targets": [
    {
      "target_name": "minima_native",
      "sources": ["src/addon.cc", "src/cpu.cc", "src/gemm.cc"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions", "<!@(pkg-config --cflags openblas)"],
      "cflags_cc!": ["-fno-rtti"],
      "libraries": ["<!@(pkg-config --libs openblas)"]
    }
  ]
}
