import { markUnavailable, registerBackend } from "../select.js";
import { nativeKernels, nativeStatus } from "./index.js";

let registered = false;

/**
 * Makes the native backend the default when its addon loaded, or records the one line that says why it
 * did not and how to fix it (printed once, on the first kernel call, unless MINIMA_BACKEND chooses). The
 * Node entry and the CLI call this; the browser core never reaches it.
 */
export function registerNativeBackend(): void {
  if (registered) return;
  registered = true;
  if (!nativeStatus.loaded) {
    markUnavailable("native", nativeStatus);
    return;
  }
  const addon = nativeStatus.addon;
  registerBackend({ ...nativeKernels(), setNumThreads: (n) => addon.setNumThreads(n), numThreads: () => addon.cpuInfo().threads }, { preferred: true });
}
