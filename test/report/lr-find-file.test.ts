import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { lrFindRecords } from "../../src/cli/lr-find-summary.js";
import { DataFormatError } from "../../src/errors.js";
import { parseLrFindFile } from "../../src/report/lr-find-file.js";
import { result, settings } from "../helpers/lr-find-sweep.js";

/** The file as minima lr-find writes it (its own encoder, lrFindRecords). */
const written = (curvature: { lambdaMax: number; batches: number } | null) => lrFindRecords(result, settings, curvature).map((r) => JSON.stringify(r)).join("\n") + "\n";

describe("parseLrFindFile reads what minima lr-find writes (its encoder lrFindRecords as the reference)", () => {
  test("the sweep, its NaN loss (null in the file), the settings, the suggestions and 2/λmax come back as written", () => {
    const file = parseLrFindFile(written({ lambdaMax: 40, batches: 4 }), "lr_find.jsonl");
    assert.deepEqual({ lrs: file.lrs, losses: file.losses, smoothed: file.smoothed, stop: file.stop, suggestions: file.suggestions }, result);
    assert.deepEqual(file.settings, settings);
    assert.equal(file.oneCycleMaxLr, 1e-4);
    assert.deepEqual(file.curvature, { lambdaMax: 40, batches: 4, lrLimit: 2 / 40 });
    assert.equal(parseLrFindFile(written(null), "lr_find.jsonl").curvature, null);
  });

  test("a file that is not an LR range test is refused naming the file, the line and what was expected (exact texts)", () => {
    assert.throws(() => parseLrFindFile("", "a/lr_find.jsonl"), (e: Error) => e instanceof DataFormatError &&
      e.message === 'a/lr_find.jsonl:1: is not an LR range test\'s first line; expected a record of kind "lr-find" (minima lr-find\'s lr_find.jsonl), got an empty file');
    assert.throws(() => parseLrFindFile('{"kind":"header"}\n', "m.jsonl"), { message: 'm.jsonl:1: is not an LR range test\'s first line; expected a record of kind "lr-find" (minima lr-find\'s lr_find.jsonl), got kind "header"' });
    const torn = written(null).split("\n").slice(0, 3).join("\n") + "\n{\"kind\":\"ba";
    assert.throws(() => parseLrFindFile(torn, "t.jsonl"), { message: "t.jsonl:4: is not JSON; expected one JSON record per line" });
    const bad = written(null).replace('"lr":1e-7,"loss"', '"lr":"x","loss"');
    assert.throws(() => parseLrFindFile(bad, "b.jsonl"), { message: 'b.jsonl:2: "lr" is not a number, got "x"' });
  });
});
