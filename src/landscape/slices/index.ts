// Loss slices of real networks: the line between two weight sets, random and chosen directions, 1-D and 2-D grids.
export { interpolate, type InterpolateOptions, type LineResult } from "./interpolate.js";
export type { Weights } from "./weights.js";
