import { OptionError } from "../errors.js";
import { show } from "../options.js";
import { cnn, type CNNOptions } from "./cnn.js";
import { mlp, type MLPOptions } from "./mlp.js";
import { residualMlp, type ResidualMLPOptions } from "./residual-mlp.js";
import type { Sequential } from "./sequential.js";

/** The builders a spec can name: mn.nn's functions of the same names. */
export const MODEL_BUILDERS = ["mlp", "residualMlp", "cnn"] as const;
export type ModelBuilder = (typeof MODEL_BUILDERS)[number];

/**
 * What builds a model's layers: a builder of mn.nn and the options it is called with, so that
 * `mn.nn[spec.builder](spec.options)` gives the same layers, with the same parameter names and
 * shapes. A model file records it (JSON), so the file alone rebuilds the model.
 */
export type ModelSpec =
  | { builder: "mlp"; options: MLPOptions }
  | { builder: "residualMlp"; options: ResidualMLPOptions }
  | { builder: "cnn"; options: CNNOptions };

/**
 * The model a spec names, freshly initialized (it draws from the default generator, as building
 * the layers by hand does); each builder checks its own options.
 * @example const model = mn.nn.modelFromSpec({ builder: "mlp", options: { inputs: 784, hidden: [256], outputs: 10 } });
 */
export function modelFromSpec(spec: ModelSpec): Sequential {
  const { builder, options } = (spec ?? {}) as { builder?: unknown; options?: unknown };
  if (!MODEL_BUILDERS.includes(builder as ModelBuilder)) {
    throw new OptionError({ where: "modelFromSpec", what: "unknown builder", expected: MODEL_BUILDERS.join(", "), got: show(builder) });
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new OptionError({ where: "modelFromSpec", what: `the options of ${builder as string} must be an object`, got: JSON.stringify(options) });
  }
  switch (spec.builder) {
    case "mlp": return mlp(spec.options);
    case "residualMlp": return residualMlp(spec.options);
    case "cnn": return cnn(spec.options);
  }
}
