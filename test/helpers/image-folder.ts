import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { encode } from "fast-png";

/** An 8-bit image's bytes, row-major, `channels` interleaved per pixel (1 grey, 3 RGB). */
export interface TestImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** A width×height image whose bytes are a known function of (pixel, channel, seed), all distinct enough to tell images apart. */
export function testImage(width: number, height: number, channels: 1 | 3, seed: number): TestImage {
  return { width, height, channels, data: Uint8Array.from({ length: width * height * channels }, (_, j) => (j * 37 + seed * 59 + 11) % 256) };
}

/** Writes each image as a PNG (fast-png's encoder) at root/<relative path>, making folders as needed. */
export function writePngs(root: string, images: Record<string, TestImage>): void {
  for (const [path, image] of Object.entries(images)) {
    const p = join(root, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, encode({ width: image.width, height: image.height, data: image.data, channels: image.channels, depth: 8 }));
  }
}

/** An image's expected tensor values [C, H, W]: byte k as k/255 (float32), grey repeated to 3 channels when asked. */
export function expectedPixels(image: TestImage, channels: 1 | 3): number[] {
  const n = image.width * image.height, out: number[] = [];
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < n; i++) out.push(Math.fround(image.data[i * image.channels + (image.channels === 3 ? c : 0)]! / 255));
  }
  return out;
}
