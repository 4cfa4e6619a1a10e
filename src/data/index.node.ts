export * from "./index.js";
export { readIdx } from "./formats/idx-file.js";
export { mnist, type ImageClassification } from "./datasets/mnist.js";
export { loadIdxDataset } from "./datasets/idx-folder.js";
export { fashionMnist, findFashionMnist, FASHION_CLASSES, DEBIAN_FASHION_MNIST } from "./datasets/fashion-mnist.js";
