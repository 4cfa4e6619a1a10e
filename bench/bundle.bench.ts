/**
 * 5. What a web page downloads: the browser bundle of minima's core (the package's default entry: tensors,
 * autograd, the js backend, nn, optim, schedules, fit with its callbacks, metrics, SVG charts, safetensors
 * on bytes) against TensorFlow.js's nearest equivalent, tfjs-core + tfjs-backend-cpu + tfjs-layers. Both
 * bundled the same way, by esbuild for the browser, minified, then gzipped at level 9. Sizes, not times:
 * the same sources give the same bytes.
 */
import { buildSync } from "esbuild";
import { gzipSync } from "node:zlib";
import { DATE, ROOT, fmt, table, times } from "./common.js";

function bundled(contents: string): { minified: number; gzipped: number } {
  const out = buildSync({
    stdin: { contents, resolveDir: ROOT, loader: "js" }, bundle: true, platform: "browser", format: "esm", minify: true, write: false, logLevel: "error",
  }).outputFiles[0]!.contents;
  return { minified: out.length, gzipped: gzipSync(out, { level: 9 }).length };
}

export function run(): string {
  const rows: [string, string][] = [
    ["minima core (import * as mn from \"minima-ml\")", `export * from "./dist/src/index.js";`],
    ["minima, a page that only adds tensors (import { tensor } from \"minima-ml\")", `import { tensor } from "minima-ml"; console.log(tensor([1, 2]).add(1).data);`],
    ["TensorFlow.js: tfjs-core + tfjs-backend-cpu + tfjs-layers", `export * from "@tensorflow/tfjs-core"; export * as layers from "@tensorflow/tfjs-layers"; import "@tensorflow/tfjs-backend-cpu";`],
  ];
  const sizes = rows.map(([name, src]) => ({ name, ...bundled(src) }));
  const kib = (b: number) => `${fmt(b / 1024, 0)} KiB`;
  const [ours, , theirs] = sizes as [typeof sizes[0], typeof sizes[0], typeof sizes[0]];
  return [
    `## Browser bundle size — ${DATE}`,
    "",
    "esbuild, platform browser, ESM, minified; gzip level 9. minima's core carries its two wasm modules (one thread, and threads with shared memory) as base64, about 370 KiB of the minified size. The whole entries, except the second row: minima's files have no side effects at import (`\"sideEffects\"` in package.json lists the Node entry's few), so a bundler drops what a page does not use.",
    "",
    table(["bundle", "minified", "gzipped"], sizes.map((s) => [s.name, kib(s.minified), kib(s.gzipped)])),
    "",
    theirs.gzipped >= ours.gzipped
      ? `minima's core is ${times(theirs.gzipped / ours.gzipped)} smaller gzipped than TensorFlow.js's core + cpu + layers.`
      : `minima's core is ${times(ours.gzipped / theirs.gzipped)} larger gzipped than TensorFlow.js's core + cpu + layers ` +
        "(which has no wasm backend: tfjs-backend-wasm is a separate package and a .wasm file per build it loads).",
  ].join("\n");
}
