// Loss slices of real networks: the line between two weight sets, random and chosen directions, 1-D and 2-D grids.
export { interpolate, type InterpolateOptions, type LineResult } from "./interpolate.js";
export type { Weights } from "./weights.js";
export { randomDirection, parameterVector, type Direction, type RandomDirectionOptions } from "./direction.js";
export { slice, type SliceCell, type SliceOptions, type SliceResult } from "./slice.js";
export { eigenDirections, type EigenDirections } from "./eigen-directions.js";
export { pcaDirections, type PcaDirections, type PcaDirectionsOptions } from "./pca.js";
