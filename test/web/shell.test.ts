import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPage, serveFolder } from "./harness.js";

describe("minima serve's page shell", () => {
  test("loads with its navigation, without a console error or a request leaving the machine", { timeout: 60_000 }, async () => {
    const root = mkdtempSync(join(tmpdir(), "minima-serve-"));
    const server = await serveFolder(root);
    try {
      const opened = await openPage(server.url);
      try {
        await opened.page.waitForSelector("header.bar nav a");
        const links = await opened.page.$$eval("header.bar nav a", (as) => as.map((a) => a.textContent));
        assert.deepEqual(links, ["Runs", "Race", "Schedules", "EWMA", "Mini-batch", "Playground"]);
        assert.deepEqual(opened.problems, []);
        assert.ok(opened.requests.some((u) => u.endsWith("/assets/app.js")), "the page loaded its script from the server");
      } finally {
        await opened.close();
      }
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
