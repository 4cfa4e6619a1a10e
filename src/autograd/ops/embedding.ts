import { DTypeError, IndexError, OptionError, ShapeError, showShape } from "../../errors.js";
import { checkOptions, optional, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { record } from "../tape.js";
import { empty, requireFloat } from "./util.js";

const EMBEDDING_OPTIONS = {
  /** A row of weight that gets no gradient (torch's padding_idx; negative counts from the end); default none. */
  paddingIdx: optional<number>((v) => (Number.isInteger(v) ? null : "an integer")),
};

/** The options of embedding (torch.nn.functional.embedding's, in camelCase). */
export interface EmbeddingOptions extends OptionsOf<typeof EMBEDDING_OPTIONS> {}

/**
 * A lookup table (torch.nn.functional.embedding): out[..., :] = weight[input[...], :] for int32 indices
 * input of any shape and weight [numEmbeddings, embeddingDim]; out has shape [...input.shape,
 * embeddingDim]. The gradient of weight adds each output row's gradient into the row it was read from,
 * except the paddingIdx row, which gets none.
 * @example const vectors = mn.nn.functional.embedding(tokenIds, table); // tokenIds int32 [batch, length]
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  const { paddingIdx } = checkOptions("embedding", options, EMBEDDING_OPTIONS);
  return applyEmbedding("embedding", input, weight, resolvePaddingIdx("embedding", paddingIdx, weight.shape[0] ?? 0));
}

/** paddingIdx as a row number in [0, numEmbeddings), or −1 for none; negative values count from the end, as in torch. */
export function resolvePaddingIdx(where: string, paddingIdx: number | undefined, numEmbeddings: number): number {
  if (paddingIdx === undefined) return -1;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings) {
    throw new OptionError({ where, what: "invalid paddingIdx", expected: `an integer in [${-numEmbeddings}, ${numEmbeddings}), a row of the table`, got: String(paddingIdx) });
  }
  return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
}

/** embedding with paddingIdx resolved (−1: none), its errors naming `where` (the layer calls this). */
export function applyEmbedding(where: string, input: Tensor, weight: Tensor, padding: number): Tensor {
  requireFloat(where, weight, "weight");
  if (weight.ndim !== 2) throw new ShapeError({ where, what: "weight must be 2-D", expected: "[numEmbeddings, embeddingDim]", got: showShape(weight.shape) });
  if (input.dtype !== "int32") throw new DTypeError({ where, what: "input must hold int32 indices", expected: "int32", got: input.dtype });
  const [rows, dim] = weight.shape as [number, number];
  const idx = input.data as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i]! < 0 || idx[i]! >= rows) {
      throw new IndexError({ where, what: `index out of range at input's flat position ${i}`, expected: `an index in [0, ${rows}), a row of weight ${showShape(weight.shape)}`, got: String(idx[i]) });
    }
  }
  const out = empty([...input.shape, dim], weight.dtype);
  for (let i = 0; i < idx.length; i++) out.data.set(weight.data.subarray(idx[i]! * dim, (idx[i]! + 1) * dim), i * dim);
  return record(out, "embedding", [weight], (gy) => [addRows(gy, idx, rows, dim, padding)]);
}

/** A [rows, dim] tensor holding each row of g added at the row idx names (the padding row stays zero); its own gradient reads the rows back. */
function addRows(g: Tensor, idx: Int32Array, rows: number, dim: number, padding: number): Tensor {
  const out = empty([rows, dim], g.dtype);
  const gs = g.data, os = out.data;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (r === padding) continue;
    for (let j = 0; j < dim; j++) os[r * dim + j]! += gs[i * dim + j]!;
  }
  return record(out, "embeddingBackward", [g], (gg) => {
    const back = empty(g.shape, gg.dtype);
    for (let i = 0; i < idx.length; i++) {
      if (idx[i] !== padding) back.data.set(gg.data.subarray(idx[i]! * dim, (idx[i]! + 1) * dim), i * dim);
    }
    return [back];
  });
}
