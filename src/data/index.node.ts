export * from "./index.js";
export { readIdx, parseIdx } from "./formats/idx.js";
export { mnist, type ImageClassification } from "./datasets/mnist.js";
export { fashionMnist, loadIdxDataset, findFashionMnist, FASHION_CLASSES, DEBIAN_FASHION_MNIST } from "./datasets/fashion-mnist.js";
