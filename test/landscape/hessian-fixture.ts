import * as mn from "../../src/index.node.js";
import { loadFixture, toTensor } from "../helpers/fixtures.js";

/**
 * test/fixtures/hessian.json (tools/gen_hessian_fixtures.py, torch 1.13): a float64 MLP 4→6→3 (tanh) at torch's
 * initialization, cross-entropy on 20 fixed points, and the exact 51×51 Hessian of its mean loss, eigvalsh and trace.
 * Here the model with those weights, and the points in two batches of 12 and 8 (the operator weights them by size).
 */
export function fixtureMlp() {
  const fx = loadFixture("hessian.json");
  const model = new mn.nn.Sequential(new mn.nn.Linear(4, 6, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(6, 3, { dtype: "float64" }));
  for (const [name, p] of model.namedParameters()) p.data.set(fx.params[name].data);
  const x = toTensor(fx.x, "float64"), y = toTensor(fx.y, "int32");
  const batches = [[x.narrow(0, 0, 12), y.narrow(0, 0, 12)], [x.narrow(0, 12, 8), y.narrow(0, 12, 8)]] as const;
  const H = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, batches);
  return {
    model, batches, H,
    hessian: Float64Array.from(fx.hessian.data as number[]),
    /** Ascending, as eigvalsh gives them. */
    eigenvalues: fx.eigenvalues.data as number[],
    trace: fx.trace as number,
  };
}
