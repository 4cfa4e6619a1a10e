import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runIndex } from "../../src/serve/run-index.js";

/** Writes `files` (relative path → text) under a fresh folder, runs `check` on it, and removes it. */
function withTree(files: Record<string, string>, check: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), "minima-index-"));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, ".."), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    check(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("runIndex: curvature, slices and LR range tests (the folders minima slice, curvature and lr-find write)", () => {
  test("a run lists its slices where minima slice writes them by default (slices/<kind>-<dim>d/slice.json) and beside it", () => {
    withTree({
      "runs/a/metrics.jsonl": "{}\n", "runs/a/curvature.json": "{}", "runs/a/sharpness.json": "{}",
      "runs/a/slices/random-1d/slice.json": "{}", "runs/a/slices/eigen-2d/slice.json": "{}", "runs/a/slices/empty/other.json": "{}",
      "runs/a/mine/slice.json": "{}",
    }, (root) => {
      const index = runIndex(root);
      assert.deepEqual(index.runs.map((r) => [r.path, r.files]), [
        ["runs/a", ["curvature.json", "sharpness.json", "mine/slice.json", "slices/eigen-2d/slice.json", "slices/random-1d/slice.json"]],
      ]);
      assert.deepEqual(index.analyses, [], "a run's own slice folders are the run's files, not analyses of their own");
    });
  });

  test("folders outside every run with an LR range test, a slice or a curvature are analyses, newest first; others are not", () => {
    withTree({
      "runs/lr-find-1/lr_find.jsonl": "{}\n", "elsewhere/slice-a/slice.json": "{}", "curv/curvature.json": "{}", "curv/sharpness.json": "{}",
      "notes/readme.txt": "x", "runs/b/metrics.jsonl": "{}\n",
    }, (root) => {
      utimesSync(join(root, "runs/lr-find-1/lr_find.jsonl"), 1000, 1000);
      utimesSync(join(root, "elsewhere/slice-a/slice.json"), 3000, 3000);
      utimesSync(join(root, "curv/curvature.json"), 2000, 2000);
      utimesSync(join(root, "curv/sharpness.json"), 2500, 2500);
      const index = runIndex(root);
      assert.deepEqual(index.analyses, [
        { path: "elsewhere/slice-a", name: "slice-a", mtimeMs: 3_000_000, files: ["slice.json"] },
        { path: "curv", name: "curv", mtimeMs: 2_500_000, files: ["curvature.json", "sharpness.json"] },
        { path: "runs/lr-find-1", name: "lr-find-1", mtimeMs: 1_000_000, files: ["lr_find.jsonl"] },
      ]);
      assert.deepEqual(index.runs.map((r) => r.path), ["runs/b"]);
    });
  });
});
