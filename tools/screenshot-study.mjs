// Screenshot of minima serve's study page (docs/serve-study.png): `npm run build`, then
// node tools/screenshot-study.mjs <served folder> <study folder under it> <out.png> [height]
// (the README's: a `minima tune --sampler coarse-to-fine --pruner median` study of 30 small trials).
import { openPage, serveFolder } from "../dist/test/web/harness.js";

const [root, study, out, height = "1500"] = process.argv.slice(2);
if (!out) throw new Error("usage: node tools/screenshot-study.mjs <served folder> <study folder under it> <out.png> [height]");
const server = await serveFolder(root);
try {
  const opened = await openPage(`${server.url}#/study/${study}`, { width: 1400, height: Number(height) });
  try {
    await opened.page.waitForSelector("[data-figure=coverage] svg", { timeout: 60_000 });
    await opened.page.screenshot({ path: out });
    if (opened.problems.length > 0) throw new Error(opened.problems.join("\n"));
  } finally {
    await opened.close();
  }
} finally {
  await server.close();
}
