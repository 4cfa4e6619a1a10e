import { InvalidArgumentError } from "commander";
import { OptionError } from "../errors.js";
import type { Module } from "../nn/module.js";
import type { Tensor } from "../tensor/tensor.js";
import type { ParamsArg } from "./optimizers.js";
import { plainNumber } from "./parse.js";

/** "0.,1." → ["0.", "1."]: parameter-name prefixes. */
export function prefixList(v: string): string[] {
  const parts = v.split(",").map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new InvalidArgumentError("expected parameter-name prefixes separated by commas, like 1.,3.");
  return parts;
}

/** "1.=0.0001,3.=0.01" → [["1.", 1e-4], ["3.", 0.01]]: a learning rate per parameter-name prefix. */
export function lrForList(v: string): [string, number][] {
  return v.split(",").map((part) => {
    const [prefix, lr] = part.split("=");
    const x = lr === undefined ? null : plainNumber(lr);
    if (!prefix || x === null || !Number.isFinite(x) || x < 0) throw new InvalidArgumentError(`expected prefix=lr pairs separated by commas, like 1.=1e-4,3.=0.01; got "${part}".`);
    return [prefix.trim(), x] as [string, number];
  });
}

/** The parameters whose names start with one of `prefixes`, failing on a prefix that matches nothing. */
function matching(model: Module, prefixes: string[], where: string): Map<string, [string, Tensor][]> {
  const named = model.namedParameters();
  return new Map(prefixes.map((prefix) => {
    const hits = named.filter(([n]) => n.startsWith(prefix));
    if (hits.length === 0) throw new OptionError({ where, what: `no parameter name starts with "${prefix}"`, expected: `a prefix of ${named.map(([n]) => n).join(", ")}` });
    return [prefix, hits];
  }));
}

/** Freezes (requiresGrad false) the parameters under the given name prefixes; returns their names. */
export function freeze(model: Module, prefixes: string[]): string[] {
  const names: string[] = [];
  for (const hits of matching(model, prefixes, "--freeze").values()) for (const [n, p] of hits) { p.requiresGrad = false; names.push(n); }
  if (model.parameters().every((p) => !p.requiresGrad)) throw new OptionError({ where: "--freeze", what: `${prefixes.join(",")} froze every parameter: nothing is left to train` });
  return names;
}

/**
 * The trainable parameters as optimizer groups: one per `--lr-for` prefix with its learning rate,
 * and one with the base lr for the rest (transfer learning: a small lr for the pretrained body, a
 * larger one for the new head). Without prefixes, the plain list.
 */
export function parameterGroups(model: Module, lr: number, lrFor: [string, number][]): ParamsArg {
  const trainable = (p: Tensor) => p.requiresGrad;
  if (lrFor.length === 0) return model.parameters().filter(trainable);
  const taken = new Set<Tensor>();
  const groups = [...matching(model, lrFor.map(([p]) => p), "--lr-for").entries()].map(([prefix, hits]) => {
    const params = hits.map(([, p]) => p).filter((p) => trainable(p) && !taken.has(p));
    if (params.length === 0) {
      const why = hits.every(([, p]) => !trainable(p)) ? "--freeze froze every parameter it names"
        : `every parameter it names${hits.some(([, p]) => !trainable(p)) ? " that --freeze left trainable" : ""} has its rate from an earlier prefix`;
      throw new OptionError({ where: "--lr-for", what: `"${prefix}" does nothing: ${why} (${hits.map(([n]) => n).join(", ")})` });
    }
    params.forEach((p) => taken.add(p));
    return { params, lr: lrFor.find(([q]) => q === prefix)![1] };
  });
  const rest = model.parameters().filter((p) => trainable(p) && !taken.has(p));
  return [...groups, ...(rest.length ? [{ params: rest, lr }] : [])].filter((g) => g.params.length > 0);
}
