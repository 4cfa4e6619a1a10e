import { LrFindView } from "./lr-find-view.js";
import { SharpnessView } from "./sharpness-view.js";
import { SliceView } from "./slice-view.js";
import { SpectrumView } from "./spectrum-view.js";

/** Whether a folder's file is one the curvature views show. */
export const isCurvatureFile = (file: string) => ["curvature.json", "sharpness.json", "lr_find.jsonl"].includes(file) || file === "slice.json" || file.endsWith("/slice.json");

/**
 * The views of a folder's curvature files (a run's or an analysis folder's): spectrum, ε-sharpness, LR range test, slices.
 * `run`: the run's path when the folder is a run (the slices' titles name it as minima slice does).
 */
export function CurvatureViews({ folder, name, files, run }: { folder: string; name: string; files: readonly string[]; run: string | null }) {
  const at = (file: string) => (folder === "" ? file : `${folder}/${file}`);
  const slices = files.filter((f) => f === "slice.json" || f.endsWith("/slice.json"));
  return (
    <>
      {files.includes("curvature.json") && <SpectrumView file={at("curvature.json")} run={name} />}
      {files.includes("sharpness.json") && <SharpnessView file={at("sharpness.json")} />}
      {files.includes("lr_find.jsonl") && <LrFindView file={at("lr_find.jsonl")} />}
      {slices.length > 0 && <div class="slices">{slices.map((f) => <SliceView key={f} file={at(f)} run={run} />)}</div>}
    </>
  );
}
