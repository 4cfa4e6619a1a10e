// The Node entry's nn: the core, plus the model-file functions. Their home is io (the file format; nn stays
// below io and never imports it): this index only composes the namespace users look in, mn.nn.loadModel.
export * from "./index.js";
export { saveModel, loadModel } from "../io/saved-model-file.js";
