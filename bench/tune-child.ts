/**
 * minima's side of bench/tune.bench.ts: one worker process of a search with a trivial objective,
 * the twin of bench/optuna_tune_peer.py. Usage: node dist/bench/tune-child.js STORAGE STUDY N START_AT SEED
 * It opens the study, waits until the wall-clock time START_AT (seconds), runs N trials and prints
 * {"start": s, "end": e} (seconds) as JSON.
 */
import * as mn from "../src/index.node.js";

const [storage, studyName, n, startAt, seed] = process.argv.slice(2);
const study = mn.tune.loadStudy({ storage: storage!, studyName: studyName!, sampler: new mn.tune.RandomSampler({ seed: Number(seed) }) });
const wait = Number(startAt) * 1000 - Date.now();
if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
const start = Date.now() / 1000;
study.optimize((t) => t.suggestFloat("x", -10, 10) ** 2 + t.suggestFloat("y", 1e-5, 1, { log: true }), { nTrials: Number(n) });
console.log(JSON.stringify({ start, end: Date.now() / 1000 }));
study.storage.close();
