import type { Kernels, PlanCall, PlanRunner } from "../kernels.js";

/**
 * The plan runner every backend has: a JavaScript loop calling the table's kernels with the recorded arguments.
 * No tensors, no tape, no fresh arrays: what is left of a step is its kernels.
 */
export function jsPlanRunner(calls: readonly PlanCall[], table: Kernels): PlanRunner {
  const bound = calls.map(({ kernel, args }) => {
    if (kernel === "js") return { fn: args[1] as () => void, owner: null, args: [] };
    const [owner, method] = kernel.startsWith("convolution.")
      ? [table.convolution as unknown as Record<string, unknown>, kernel.slice("convolution.".length)]
      : [table as unknown as Record<string, unknown>, kernel];
    const fn = owner?.[method];
    if (typeof fn !== "function") throw new Error(`jsPlanRunner: the ${table.name} backend has no kernel ${kernel}`);
    return { fn: fn as (...a: unknown[]) => unknown, owner, args };
  });
  return {
    run() {
      for (const c of bound) c.fn.apply(c.owner, c.args as unknown[]);
    },
  };
}
