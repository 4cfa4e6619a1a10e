import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encode } from "fast-png";
import { imageFolder } from "../../../src/data/index.node.js";
import { requirePngDecoder } from "../../../src/data/formats/image-folder.js";
import { testErrorCases } from "../../helpers/error-cases.js";
import { expectedPixels, testImage, writePngs } from "../../helpers/image-folder.js";

// Folders of PNGs written by fast-png's encoder from known bytes; the expected tensors are k/255 of those bytes.
const base = mkdtempSync(join(tmpdir(), "minima-image-folder-"));
let count = 0;
const folder = (): string => {
  const p = join(base, `f${count++}`);
  mkdirSync(p);
  return p;
};

describe("imageFolder (torchvision's ImageFolder layout)", () => {
  test("classes are the sorted folder names; samples in sorted file order, subfolders included; pixels k/255 as [N,1,H,W]", () => {
    const root = folder();
    const images = { "dog/x.png": testImage(4, 3, 1, 1), "cat/b.png": testImage(4, 3, 1, 2), "dog/sub/y.png": testImage(4, 3, 1, 3), "cat/a.png": testImage(4, 3, 1, 4) };
    writePngs(root, images);
    writeFileSync(join(root, "README.md"), "not a class");
    writeFileSync(join(root, "cat", ".DS_Store"), "hidden");
    const { dataset, classNames, files } = imageFolder(root);
    assert.deepEqual(classNames, ["cat", "dog"]);
    assert.deepEqual(files, ["cat/a.png", "cat/b.png", "dog/sub/y.png", "dog/x.png"].map((f) => join(root, f)));
    const [x, y] = dataset.tensors;
    assert.deepEqual([x!.shape, x!.dtype, y!.dtype], [[4, 1, 3, 4], "float32", "int32"]);
    assert.deepEqual(Array.from(y!.data), [0, 0, 1, 1]);
    const order = ["cat/a.png", "cat/b.png", "dog/sub/y.png", "dog/x.png"] as const;
    assert.deepEqual(Array.from(x!.data), order.flatMap((f) => expectedPixels(images[f], 1)));
  });

  test("one RGB image makes every sample 3 channels (grey repeated); channels: 1 gives grey ([N,1,H,W]) instead", () => {
    const root = folder();
    const grey = testImage(2, 2, 1, 5), rgb = testImage(2, 2, 3, 6);
    writePngs(root, { "a/grey.png": grey, "b/rgb.png": rgb });
    const colour = imageFolder(root).dataset.tensors[0]!;
    assert.deepEqual(colour.shape, [2, 3, 2, 2]);
    assert.deepEqual(Array.from(colour.data), [...expectedPixels(grey, 3), ...expectedPixels(rgb, 3)]);
    const forced = imageFolder(root, { channels: 1 }).dataset.tensors[0]!;
    assert.deepEqual(forced.shape, [2, 1, 2, 2]);
    assert.deepEqual(Array.from(forced.data.subarray(0, 4)), expectedPixels(grey, 1));
    // BT.601 luma of the RGB bytes
    const d = rgb.data;
    assert.equal(forced.data[4], Math.fround(0.299 * (d[0]! / 255) + 0.587 * (d[1]! / 255) + 0.114 * (d[2]! / 255)));
  });
});

describe("imageFolder: a PNG whose data is cut off", () => {
  test("fails naming the file and quoting the decoder (fast-png)", () => {
    const root = folder();
    writePngs(root, { "a/1.png": testImage(2, 2, 1, 0) });
    const whole = encode({ width: 2, height: 2, data: new Uint8Array(4), channels: 1, depth: 8 });
    writeFileSync(join(root, "a", "2.png"), whole.subarray(0, whole.length - 20));
    assert.throws(() => imageFolder(root), (e: Error) => e.message.startsWith(`imageFolder: ${join(root, "a", "2.png")}: not a valid PNG image (`));
  });
});

describe("imageFolder: a bad folder fails naming the file or folder", () => {
  const noClasses = folder();
  writeFileSync(join(noClasses, "notes.txt"), "x");
  const emptyClass = folder();
  writePngs(emptyClass, { "a/1.png": testImage(2, 2, 1, 0) });
  mkdirSync(join(emptyClass, "b"));
  writeFileSync(join(emptyClass, "b", ".hidden.png"), "x");
  const text = folder();
  writePngs(text, { "a/1.png": testImage(2, 2, 1, 0) });
  writeFileSync(join(text, "a", "labels.txt"), "x");
  const fake = folder();
  writePngs(fake, { "a/1.png": testImage(2, 2, 1, 0) });
  writeFileSync(join(fake, "a", "2.png"), "GIF89a, not a PNG");
  const truncated = folder();
  writePngs(truncated, { "a/1.png": testImage(2, 2, 1, 0) });
  writeFileSync(join(truncated, "a", "2.png"), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
  const stray = folder();
  writePngs(stray, { "a/1.png": testImage(2, 2, 1, 0), "loose.png": testImage(2, 2, 1, 1) });
  const sizes = folder();
  writePngs(sizes, { "a/1.png": testImage(4, 3, 1, 0), "b/2.png": testImage(3, 4, 1, 1) });
  const aFile = join(noClasses, "notes.txt");
  testErrorCases([
    ["no such folder", () => imageFolder(join(base, "none")), `imageFolder: no such folder: ${join(base, "none")}`],
    ["a file, not a folder", () => imageFolder(aFile), `imageFolder: ${aFile} is a file; expected a folder of class folders`],
    ["no class folders", () => imageFolder(noClasses), `imageFolder: ${noClasses} has no class folders; expected ImageFolder's layout, ${join(noClasses, "<class>", "<image>.png")}`],
    ["a class folder without images", () => imageFolder(emptyClass), `imageFolder: class folder ${join(emptyClass, "b")} holds no PNG images`],
    ["a file that is not a PNG", () => imageFolder(text), `imageFolder: ${join(text, "a", "labels.txt")} is not a PNG image; expected only .png files in the class folders`],
    ["a .png that is not a PNG", () => imageFolder(fake), `imageFolder: ${join(fake, "a", "2.png")} is not a PNG image (no PNG signature)`],
    ["a PNG cut after its signature", () => imageFolder(truncated), `imageFolder: ${join(truncated, "a", "2.png")} is not a valid PNG image (no IHDR header; 10 bytes)`],
    ["a PNG beside the class folders", () => imageFolder(stray), `imageFolder: ${join(stray, "loose.png")} is outside the class folders; expected ImageFolder's layout, ${join(stray, "<class>", "<image>.png")}`],
    ["images of two sizes", () => imageFolder(sizes), `imageFolder: ${join(sizes, "b", "2.png")} is 3×4 pixels, ${join(sizes, "a", "1.png")} 4×3; expected one size for all images (resize them first)`],
    ["a Node whose require() cannot load ES modules (before 20.19)", () => requirePngDecoder(() => { throw Object.assign(new Error("require() of ES Module"), { code: "ERR_REQUIRE_ESM" }); }),
      `imageFolder: cannot load its PNG decoder (fast-png, an ES module) with require(); expected Node 20.19, 22.12 or later, got Node ${process.versions.node}`],
    ["channels 2", () => imageFolder(sizes, { channels: 2 as 1 }), "imageFolder: invalid channels; expected 1 (grey) or 3 (RGB), got 2"],
  ]);
});
