{
  "targets": [
    {
      "target_name": "minima_native",
      "sources": ["src/addon.cc", "src/cpu.cc", "src/gemm.cc", "src/optim.cc", "src/optim-avx2.cc", "src/optim-base.cc", "src/elementwise.cc", "src/elementwise-avx2.cc", "src/elementwise-base.cc", "src/bias-activation.cc", "src/cross-entropy.cc", "src/thread-pool.cc", "src/reduce.cc", "src/conv.cc", "src/conv-dnnl.cc", "src/layout.cc", "src/pool-avg.cc", "src/pool-avx2.cc", "src/pool-blocked-avx2.cc", "src/batch-norm.cc", "src/smooth-activations.cc", "src/normalize-groups.cc", "src/stop-signal.cc", "src/plan.cc", "src/plan-calls.cc", "src/plan-js-kernels.cc", "src/batch-norm-running.cc", "src/clip-grad.cc"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-exceptions", "-fno-math-errno", "-ffp-contract=off", "<!@(pkg-config --cflags openblas)"],
      "cflags_cc!": ["-fno-rtti"],
      "libraries": ["<!@(pkg-config --libs openblas)"],
      "conditions": [
        ["<!(node has-dnnl.mjs)==1", {
          "defines": ["MINIMA_DNNL"],
          "cflags_cc": ["-fexceptions", "-fopenmp"],
          "libraries": ["-ldnnl", "-lgomp"]
        }]
      ]
    }
  ]
}
