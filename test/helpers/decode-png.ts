import { inflateSync } from "node:zlib";

/** An 8-bit RGBA image. */
export interface Pixels {
  width: number;
  height: number;
  /** width · height · 4 bytes, row by row. */
  rgba: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Decodes the PNGs that resvg and Chromium write (8-bit greyscale, RGB or RGBA, not interlaced),
 * following the PNG spec (W3C, 2003): chunks, zlib'd scanlines, the five row filters. Enough to
 * look at the pixels of a test's output without an image library; anything else is an error.
 */
export function decodePng(bytes: Uint8Array): Pixels {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!SIGNATURE.every((b, i) => buf[i] === b)) throw new Error("not a PNG: bad signature");
  let width = 0, height = 0, colorType = -1;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length;) {
    const length = buf.readUInt32BE(at), type = buf.toString("latin1", at + 4, at + 8), data = buf.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colorType = data[9]!;
      if (data[8] !== 8 || data[12] !== 0 || ![0, 2, 6].includes(colorType)) {
        throw new Error(`unsupported PNG: bit depth ${data[8]}, colour type ${colorType}, interlace ${data[12]}`);
      }
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 1;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error(`PNG data has ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const rows = new Uint8Array(height * stride);
  for (let r = 0; r < height; r++) {
    const filter = raw[r * (stride + 1)]!;
    const src = raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1));
    const out = rows.subarray(r * stride, (r + 1) * stride);
    const prev = r > 0 ? rows.subarray((r - 1) * stride, r * stride) : new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels]! : 0, b = prev[i]!, c = i >= channels ? prev[i - channels]! : 0;
      let p: number;
      switch (filter) {
        case 0: p = 0; break;
        case 1: p = a; break;
        case 2: p = b; break;
        case 3: p = (a + b) >> 1; break;
        case 4: {
          const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
          p = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`bad PNG row filter ${filter} in row ${r}`);
      }
      out[i] = (src[i]! + p) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let k = 0; k < 3; k++) rgba[4 * i + k] = rows[i * channels + (channels === 1 ? 0 : k)]!;
    rgba[4 * i + 3] = channels === 4 ? rows[i * 4 + 3]! : 255;
  }
  return { width, height, rgba };
}

/** How many pixels differ from the image's most common colour, and how many distinct colours it has. */
export function inkStats(image: Pixels): { ink: number; colors: number } {
  const counts = new Map<number, number>();
  for (let i = 0; i < image.rgba.length; i += 4) {
    const key = ((image.rgba[i]! << 24) | (image.rgba[i + 1]! << 16) | (image.rgba[i + 2]! << 8) | image.rgba[i + 3]!) >>> 0;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let background = 0;
  for (const n of counts.values()) background = Math.max(background, n);
  return { ink: image.width * image.height - background, colors: counts.size };
}
