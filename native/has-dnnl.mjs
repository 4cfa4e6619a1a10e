// Prints 1 when oneDNN's C++ header is where the compiler looks (Debian: apt-get install libdnnl-dev), else
// 0: binding.gyp then builds the convolutions on oneDNN, or leaves them to im2col + OpenBLAS.
// MINIMA_DNNL=0 at install builds without it even where it is installed.
import { spawnSync } from "node:child_process";

if (process.env.MINIMA_DNNL === "0") {
  process.stdout.write("0");
  process.exit(0);
}
const probe = spawnSync(process.env.CXX ?? "c++", ["-E", "-x", "c++", "-"], { input: "#include <oneapi/dnnl/dnnl.hpp>\n", stdio: ["pipe", "ignore", "ignore"] });
process.stdout.write(probe.status === 0 ? "1" : "0");
