import { convertIndexedToRgb, decode, hasPngSignature } from "fast-png";
import { DataFormatError, OptionError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";

/**
 * A PNG image as a float32 tensor [channels, height, width] with values in [0, 1] (8-bit k as k/255,
 * 16-bit as k/65535), the scale the IDX loaders give pixels. Any PNG (greyscale, RGB, palette, with or
 * without alpha, 1 to 16 bits, interlaced) is decoded by fast-png, then turned into `channels`:
 * 1 gives the luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as PIL's convert("L")), 3 gives RGB
 * (a grey image repeated). Alpha is composited over black, the background of MNIST-style digits.
 * Bytes only, so it runs in browsers too; `where` names the image in errors.
 * @example const image = mn.data.imageFromPng(readFileSync("digit.png"), { channels: 1 }); // [1, 28, 28]
 */
export function imageFromPng(bytes: Uint8Array, options: { channels: 1 | 3; where?: string }): Tensor {
  const { channels, where = "imageFromPng" } = options;
  if (channels !== 1 && channels !== 3) throw new OptionError({ where: "imageFromPng", what: "invalid channels", expected: "1 (grey) or 3 (RGB)", got: String(channels) });
  if (!hasPngSignature(bytes)) throw new DataFormatError({ where, what: "not a PNG image (no PNG signature)" });
  let png;
  try {
    png = decode(bytes);
  } catch (e) {
    throw new DataFormatError({ where, what: `not a valid PNG image (${(e as Error).message})` });
  }
  const { width, height } = png;
  let data = png.data, stored = png.channels, depth: number = png.depth;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    stored = png.palette[0]!.length;
    depth = 8;
  } else if (depth < 8) {
    data = unpackBits(data, width * stored, height, depth);
  }
  const max = 2 ** depth - 1;
  const colour = stored >= 3, alpha = stored === 2 || stored === 4;
  const n = width * height, out = new Float32Array(channels * n);
  for (let i = 0; i < n; i++) {
    const at = i * stored;
    const a = alpha ? data[at + stored - 1]! / max : 1;
    const r = data[at]! / max, g = colour ? data[at + 1]! / max : r, b = colour ? data[at + 2]! / max : r;
    if (channels === 1) out[i] = (colour ? 0.299 * r + 0.587 * g + 0.114 * b : r) * a;
    else { out[i] = r * a; out[n + i] = g * a; out[2 * n + i] = b * a; }
  }
  return new Tensor(out, [channels, height, width]);
}

/** Samples of 1, 2 or 4 bits, packed from the high bits down with each row padded to a byte, one per element. */
function unpackBits(packed: ArrayLike<number>, perRow: number, rows: number, depth: number): Uint8Array {
  const out = new Uint8Array(perRow * rows), rowBytes = Math.ceil((perRow * depth) / 8), mask = (1 << depth) - 1;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < perRow; x++) {
      const bit = x * depth;
      out[y * perRow + x] = (packed[y * rowBytes + (bit >> 3)]! >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}
