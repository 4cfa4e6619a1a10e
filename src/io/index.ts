export { writeFileAtomic, appendLineDurable } from "./atomic-write.js";
export { RunDir } from "./run-dir.js";
