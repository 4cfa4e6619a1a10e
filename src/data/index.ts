export { parseIdx } from "./formats/idx.js";
export { TensorDataset, Subset, type Dataset, type LabeledSample } from "./dataset.js";
export { DataLoader, type DataLoaderOptions } from "./data-loader.js";
export { addingProblem, type AddingProblemOptions } from "./datasets/adding-problem.js";
export { randomSplit, type RandomSplitOptions, type Parts } from "./split.js";
export { Standardize, type StandardizeOptions, type StandardizeState } from "./standardize.js";
export { preprocess, preprocessingOf, type Preprocessing } from "./preprocessing.js";
export * as transforms from "./transforms/index.js";
export { toy2d, TOY2D_DATASETS, type Toy2dName, type Toy2dOptions } from "./datasets/toy2d.js";
