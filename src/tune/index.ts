// mn.tune: hyperparameter search with Optuna's concepts and storage formats (browser-clean core).
export { float, int, categorical, FloatDistribution, IntDistribution, CategoricalDistribution, distributionToJson, jsonToDistribution, describeDistribution, type Distribution, type CategoricalChoice, type ParamValue, type FloatOptions, type IntOptions } from "./distributions.js";
export type { TrialState, Direction } from "./trial-state.js";
export type { FrozenTrial } from "./frozen-trial.js";
export type { Storage, Lease, StudySummary, TrialTemplate, HeartbeatPolicy, ReapResult } from "./storage.js";
export type { Sampler } from "./sampler.js";
export { NopPruner, type Pruner } from "./pruner.js";
export { TrialPruned, SearchExhausted } from "./trial-pruned.js";
export { Trial } from "./trial.js";
export { Study, createStudy, loadStudy, type CreateStudyOptions, type LoadStudyOptions, type OptimizeOptions, type Objective, type AsyncObjective, type TellResult } from "./study.js";
export { InMemoryStorage } from "./in-memory-storage.js";
export { JournalStorage, type JournalStorageOptions } from "./journal/journal-storage.js";
export type { JournalBackend, HeartbeatBook } from "./journal/backend.js";
export { RandomSampler, type RandomSamplerOptions } from "./samplers/random-sampler.js";
export { ATTR, OPTUNA_ATTR, DIAGNOSIS_USER_ATTR } from "./attrs.js";
export { setStudySpace, studySpace } from "./study-space.js";
export { parseSpace, formatSpace } from "./space-parser.js";
