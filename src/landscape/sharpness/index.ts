// Keskar et al.'s ε-sharpness and the box-constrained maximizer it needs. Browser-clean.
export { epsSharpness, type EpsSharpness, type EpsSharpnessOptions } from "./eps-sharpness.js";
export { maximizeInBox, type BoxMaximizeOptions, type BoxMaximum, type BoxMethod, type Objective } from "./box-maximize.js";
