import type { OptionValue } from "./catalog.js";
import type { PartSpec, ScheduleSpec } from "./spec.js";

const literal = (v: OptionValue) => (Array.isArray(v) ? `[${v.join(", ")}]` : typeof v === "string" ? JSON.stringify(v) : String(v));

function construct(p: PartSpec): string {
  if (p.name === "LambdaLR") return `new LambdaLR(opt, { lrLambda: (t) => 1 / (1 + ${p.values["k"]} * t) })`;
  if (p.name === "MultiplicativeLR") return `new MultiplicativeLR(opt, { lrLambda: () => ${p.values["factor"]} })`;
  const options = Object.entries(p.values).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${literal(v)}`).join(", ");
  return `new ${p.name}(opt, { ${options} })`;
}

/** The TypeScript that builds the explored schedule with minima, to paste into a training script. */
export function codeOf(spec: ScheduleSpec): string {
  const names = [...new Set([...spec.parts.map((p) => p.name), ...(spec.compose === "sequential" ? ["SequentialLR"] : spec.compose === "chained" ? ["ChainedScheduler"] : [])])];
  const lines = [`const { ${names.join(", ")} } = mn.optim.lrScheduler;`, `const opt = new mn.optim.SGD(model.parameters(), { lr: ${spec.lr} });`];
  if (spec.compose === "single") lines.push(`const sched = ${construct(spec.parts[0]!)};`);
  else {
    spec.parts.forEach((p, i) => lines.push(`const s${i} = ${construct(p)};`));
    const list = spec.parts.map((_, i) => `s${i}`).join(", ");
    lines.push(spec.compose === "sequential" ? `const sched = new SequentialLR(opt, { schedulers: [${list}], milestones: [${spec.milestones.join(", ")}] });` : `const sched = new ChainedScheduler([${list}]);`);
  }
  const plateau = spec.parts.some((p) => p.name === "ReduceLROnPlateau");
  lines.push(plateau ? "// after each step (or epoch): sched.step(validationLoss);" : "// after each optimizer step: sched.step();  for a plot: sched.lrAt(t)[0]");
  return lines.join("\n");
}
