import { DataFormatError, OptionError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import type { imageFromPng } from "./png-image.js";

/** imageFromPng's signature: PNG bytes to a [C, H, W] tensor. */
export type PngDecoder = typeof imageFromPng;

/** A PNG file's bytes and the name errors give it (its path). */
export interface NamedPng {
  name: string;
  bytes: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// PNG colour types with colour: RGB, palette, RGBA (0 and 4 are grey, with or without alpha).
const COLOUR_TYPES = new Set([2, 3, 6]);

/** Width, height and whether it holds colour, from a PNG's IHDR chunk (the first, at byte 8), without decoding it. */
function pngHeader({ name, bytes }: NamedPng): { width: number; height: number; colour: boolean } {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new DataFormatError({ where: "imageFolder", what: `${name} is not a PNG image (no PNG signature)` });
  if (bytes.length < 26 || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") {
    throw new DataFormatError({ where: "imageFolder", what: `${name} is not a valid PNG image (no IHDR header; ${bytes.length} bytes)` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20), colour: COLOUR_TYPES.has(bytes[25]!) };
}

/**
 * PNG images of one size as one float32 tensor [N, C, H, W] in [0, 1], each decoded by `decode` (imageFromPng). `channels`
 * defaults to 3 when any image has colour (grey ones repeated), else 1. An image of another size
 * than the first fails naming both: the images are not resized behind the user's back.
 */
export function stackPngs(images: readonly NamedPng[], decode: PngDecoder, options: { channels?: 1 | 3 } = {}): Tensor {
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3) {
    throw new OptionError({ where: "imageFolder", what: "invalid channels", expected: "1 (grey) or 3 (RGB)", got: String(options.channels) });
  }
  const headers = images.map(pngHeader);
  const first = headers[0];
  if (!first) throw new DataFormatError({ where: "imageFolder", what: "no images to stack" });
  headers.forEach((h, i) => {
    if (h.width !== first.width || h.height !== first.height) {
      throw new DataFormatError({
        where: "imageFolder", what: `${images[i]!.name} is ${h.width}×${h.height} pixels, ${images[0]!.name} ${first.width}×${first.height}`,
        expected: "one size for all images (resize them first)",
      });
    }
  });
  const channels = options.channels ?? (headers.some((h) => h.colour) ? 3 : 1);
  const size = channels * first.width * first.height;
  const out = new Float32Array(images.length * size);
  images.forEach(({ name, bytes }, i) => out.set(decode(bytes, { channels, where: `imageFolder: ${name}` }).data, i * size));
  return new Tensor(out, [images.length, channels, first.height, first.width]);
}
