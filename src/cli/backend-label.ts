import { getBackend, getNumThreads } from "../backend/select.js";

/** "native backend, 2 threads": what runs a command's kernels, for its header line. */
export function backendLabel(): string {
  const threads = getNumThreads();
  return `${getBackend()} backend, ${threads} thread${threads === 1 ? "" : "s"}`;
}
