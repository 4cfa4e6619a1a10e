// Writes test/fixtures/data/spirals.csv: two interleaved spirals (classes 0 and 1), 200 points each,
// from the closed form  r = t,  θ = t + kπ  (t from 0.5 to 0.5 + 3π, one and a half turns),
// scaled by 1/(0.5 + 3π) into the unit disc, plus Gaussian noise (σ = 0.02) from a fixed seed.
// Deterministic: `node tools/make_spirals_csv.mjs` rewrites the same bytes; `--stdout` prints them.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PER_CLASS = 200, NOISE = 0.02, SEED = 12;
const T0 = 0.5, T1 = 0.5 + 3 * Math.PI;

/** mulberry32: a small 32-bit generator, so the file does not depend on any library's random numbers. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function spiralsCsv() {
  const uniform = mulberry32(SEED);
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const lines = ["x,y,label"];
  for (let i = 0; i < PER_CLASS; i++) {
    const t = T0 + ((T1 - T0) * i) / (PER_CLASS - 1);
    for (const k of [0, 1]) {
      const x = (t * Math.cos(t + k * Math.PI)) / T1 + NOISE * normal();
      const y = (t * Math.sin(t + k * Math.PI)) / T1 + NOISE * normal();
      lines.push(`${x.toFixed(4)},${y.toFixed(4)},${k}`);
    }
  }
  return lines.join("\n") + "\n";
}

if (process.argv.includes("--stdout")) process.stdout.write(spiralsCsv());
else writeFileSync(fileURLToPath(new URL("../test/fixtures/data/spirals.csv", import.meta.url)), spiralsCsv());
