import { createHash } from "node:crypto";
import type { TensorDataset } from "../data/dataset.js";
import type { PreparedData } from "./dataset.js";

/** One part of a data set, as a run saw it: its size and a SHA-256 of its labels (int32, in order). */
export interface PartFingerprint {
  samples: number;
  labelsSha256: string;
}

/** What a run trained and was tested on, recorded in its config.json and checked by `--resume`. */
export interface DataFingerprint {
  train: PartFingerprint;
  val: PartFingerprint;
  test: PartFingerprint;
}

/** The fingerprint of a prepared data set (after its seeded split and --train-size). */
export function fingerprintOf(data: Pick<PreparedData, "train" | "val" | "test">): DataFingerprint {
  const part = (d: TensorDataset): PartFingerprint => ({
    samples: d.length,
    labelsSha256: createHash("sha256").update(new Uint8Array(Int32Array.from(d.tensors[1]!.data).buffer)).digest("hex"),
  });
  return { train: part(data.train), val: part(data.val), test: part(data.test) };
}

/** How `now` differs from `saved`, part by part ("train: 3000 samples, labels 1a2b3c4d5e6f… when the run started; 2900 samples, labels 9f8e7d6c5b4a… now"); empty when equal. */
export function fingerprintDifferences(saved: DataFingerprint, now: DataFingerprint): string[] {
  const show = (p: PartFingerprint) => `${p.samples} samples, labels sha256 ${p.labelsSha256.slice(0, 12)}…`;
  return (["train", "val", "test"] as const)
    .filter((k) => saved[k].samples !== now[k].samples || saved[k].labelsSha256 !== now[k].labelsSha256)
    .map((k) => `${k}: ${show(saved[k])} when the run started; ${show(now[k])} now`);
}
