import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { decodePng, inkStats } from "../helpers/decode-png.js";

const chart = mn.report.lineChart({
  title: "Loss per step", xLabel: "optimizer step", yLabel: "loss",
  series: [{ name: "loss", x: [0, 1, 2, 3, 4], y: [2, 1.2, 0.8, 0.5, 0.4], color: "#D55E00" }],
});

const readIhdr = (png: Uint8Array) => {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { type: String.fromCharCode(...png.subarray(12, 16)), width: view.getUint32(16), height: view.getUint32(20) };
};

describe("report.svgToPng", () => {
  test("writes a PNG (signature, IHDR) of the requested width, the height following the SVG's 720×420 aspect", () => {
    const png = mn.report.svgToPng(chart, { width: 1440 });
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.deepEqual(readIhdr(png), { type: "IHDR", width: 1440, height: 840 });
    assert.deepEqual(readIhdr(mn.report.svgToPng(chart)), { type: "IHDR", width: 720, height: 420 }, "default: the SVG's own size");
  });

  test("the picture is drawn: a white background, the series in its colour, and plenty of other ink (axes, text)", () => {
    const image = decodePng(mn.report.svgToPng(chart, { width: 720 }));
    assert.equal(image.width * image.height * 4, image.rgba.length);
    const at = (x: number, y: number) => [...image.rgba.subarray(4 * (y * image.width + x), 4 * (y * image.width + x) + 4)];
    assert.deepEqual(at(2, 2), [255, 255, 255, 255], "the corner is the white background");
    let orange = 0;
    for (let i = 0; i < image.rgba.length; i += 4) if (image.rgba[i] === 0xd5 && image.rgba[i + 1] === 0x5e && image.rgba[i + 2] === 0x00) orange++;
    assert.ok(orange > 300, `the loss line (#D55E00) covers ${orange} pixels`);
    const { ink, colors } = inkStats(image);
    assert.ok(ink > 0.02 * image.width * image.height, `${ink} non-background pixels`);
    assert.ok(colors > 20, `${colors} colours (anti-aliased lines and text)`);
  });

  test("text is drawn with a system font (without one the labels would silently vanish)", () => {
    const text = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40" font-family="sans-serif"><rect width="200" height="40" fill="white"/><text x="4" y="28" font-size="24">minima 0.001</text></svg>`;
    const { ink } = inkStats(decodePng(mn.report.svgToPng(text)));
    assert.ok(ink > 300, `the text covers ${ink} pixels`);
  });

  test("a width that is not a positive integer is refused, naming it", () => {
    assert.throws(() => mn.report.svgToPng(chart, { width: 0 }), /svgToPng: width must be a positive integer, got 0/);
    assert.throws(() => mn.report.svgToPng(chart, { width: 10.5 }), /got 10.5/);
  });
});
