import { applyEmbedding, resolvePaddingIdx } from "../autograd/ops/embedding.js";
import { OptionError } from "../errors.js";
import { checkOptions, choice, optional, type OptionsOf } from "../options.js";
import { zeros } from "../tensor/create.js";
import type { FloatDType } from "../tensor/dtype.js";
import { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { normal } from "./init.js";
import { Module } from "./module.js";

const EMBEDDING_LAYER_OPTIONS = {
  /** A row that starts at zero and gets no gradient, e.g. the padding token's (torch's padding_idx; negative counts from the end); default none. */
  paddingIdx: optional<number>((v) => (Number.isInteger(v) ? null : "an integer")),
  /** The dtype of the table (default "float32"). */
  dtype: choice<FloatDType[]>("float32", "float64"),
  /** The generator that draws the table (default: the global one, mn.manualSeed). */
  generator: optional<Generator>((v) => (v instanceof Generator ? null : "a Generator")),
};

/** The options of Embedding (torch's, in camelCase). */
export interface EmbeddingLayerOptions extends OptionsOf<typeof EMBEDDING_LAYER_OPTIONS> {}

/**
 * A learned lookup table (torch.nn.Embedding): row i of weight [numEmbeddings, embeddingDim] is the
 * vector of index i, so int32 input [...] gives [..., embeddingDim]. Initialized as torch does, N(0, 1),
 * with the paddingIdx row zero; that row gets no gradient, so it stays as it is while the rest train.
 * State-dict key: weight.
 * @example const embed = new mn.nn.Embedding(10000, 64, { paddingIdx: 0 }); // embed.forward(tokenIds)
 */
export class Embedding extends Module {
  readonly weight: Tensor;
  /** The padding row in [0, numEmbeddings), or null for none. */
  readonly paddingIdx: number | null;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super();
    for (const [name, v] of [["numEmbeddings", numEmbeddings], ["embeddingDim", embeddingDim]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new OptionError({ where: "Embedding", what: `invalid ${name}`, expected: "a positive integer", got: String(v) });
    }
    const o = checkOptions("Embedding", options, EMBEDDING_LAYER_OPTIONS);
    const padding = resolvePaddingIdx("Embedding", o.paddingIdx, numEmbeddings);
    this.paddingIdx = padding < 0 ? null : padding;
    const table = normal(zeros([numEmbeddings, embeddingDim], { dtype: o.dtype }), 0, 1, o.generator ? { generator: o.generator } : {});
    if (padding >= 0) table.data.fill(0, padding * embeddingDim, (padding + 1) * embeddingDim);
    this.weight = this.registerParameter("weight", table);
  }

  forward(input: Tensor): Tensor {
    return applyEmbedding("Embedding", input, this.weight, this.paddingIdx ?? -1);
  }

  protected override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? "" : `, paddingIdx=${this.paddingIdx}`}`;
  }
}
