/**
 * One measurement in its own process: `node dist/bench/child.js BENCH SPEC_JSON` calls
 * BENCH's `measure(spec)` and prints its result for the parent (common.ts, inNode). The
 * environment (MINIMA_BACKEND, MINIMA_NUM_THREADS, OPENBLAS_NUM_THREADS) was set by the parent.
 */
import { report } from "./common.js";

const [bench, spec] = process.argv.slice(2);
const mod = (await import(`./${bench}.bench.js`)) as { measure(spec: Record<string, unknown>): unknown };
report(await mod.measure(JSON.parse(spec!) as Record<string, unknown>));
// TF.js wasm keeps handles open; the result is out, so leave.
process.exit(0);
