import type { TypedArray } from "../../tensor/dtype.js";
import type { Kernels, PlanCall, PlanRunner } from "../kernels.js";
import { Residency, typedArraysIn } from "./arrays.js";
import type { KernelName, WasmKernel, WasmKernelSet } from "./kernel.js";
import type { WasmModule } from "./module.js";

type Step = () => void;

// A plan that is dropped without dispose() still gives its module memory back.
const released = new FinalizationRegistry<Residency>((residency) => residency.dispose());

/**
 * A captured step's calls on the wasm backend (Kernels.compilePlan): every array the calls use gets one block of
 * module memory for the plan's life, and a run is a JavaScript loop over the wasm kernels on those blocks, with no
 * copies between calls. Each run copies in what the step reads before writing it (the batch, the host ops'
 * coefficients and masks, and the weights and optimizer state too, since JavaScript may write those in place
 * between steps, as loadStateDict does) and copies out everything the calls wrote. A kernel the module lacks runs
 * on the table's JavaScript kernel, and an inPlan call ("js") on JavaScript's arrays, with the copies synced around
 * them; a kernel the table lacks too makes the plan unsupported.
 */
export function compileWasmPlan(mod: WasmModule, set: WasmKernelSet, table: Kernels, calls: readonly PlanCall[]): PlanRunner | { unsupported: string } {
  const arrays = new Set<TypedArray>();
  for (const c of calls) if (c.kernel !== "js") typedArraysIn(c.args, arrays);
  const steps: Step[] = [];
  let residency: Residency | null = null;
  const io = (): Residency => residency!;
  for (const { kernel, args } of calls) {
    if (kernel === "js") {
      const work = args[1] as () => void;
      steps.push(() => {
        io().syncAllOut();
        work();
        io().invalidateAll();
      });
      continue;
    }
    const wasm = set[kernel as KernelName] as WasmKernel<KernelName> | undefined;
    if (wasm && (wasm.takes as (...a: unknown[]) => boolean)(...args)) {
      const run = wasm.run as (m: WasmModule, io: Residency, ...a: unknown[]) => unknown;
      steps.push(() => { run(mod, io(), ...args); });
      continue;
    }
    const [owner, method] = kernel.startsWith("convolution.")
      ? [table.convolution as unknown as Record<string, unknown> | undefined, kernel.slice("convolution.".length)]
      : [table as unknown as Record<string, unknown>, kernel];
    const fn = owner?.[method];
    if (typeof fn !== "function") return { unsupported: `the wasm plan has no ${kernel}` };
    const own = typedArraysIn(args);
    steps.push(() => {
      io().syncOut(own);
      (fn as (...a: unknown[]) => unknown).apply(owner, args as unknown[]);
      io().invalidate(own);
    });
  }
  residency = new Residency(mod, arrays);
  const runner: PlanRunner = {
    run() {
      const r = io();
      r.invalidateAll();
      for (const step of steps) step();
      r.syncAllOut();
    },
    dispose() {
      released.unregister(runner);
      residency?.dispose();
    },
  };
  released.register(runner, residency, runner);
  return runner;
}
