// The line fit's `verbose` prints; the CLI's commands print the same.
export { formatEpoch } from "../train/epoch-line.js";
