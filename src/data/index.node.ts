export * from "./index.js";
export { readIdx } from "./formats/idx-file.js";
export { mnist, type ImageClassification } from "./datasets/mnist.js";
export { loadIdxDataset } from "./datasets/idx-folder.js";
export { fashionMnist, findFashionMnist, FASHION_CLASSES, DEBIAN_FASHION_MNIST } from "./datasets/fashion-mnist.js";
export { parseCsv, type CsvClassification, type CsvOptions } from "./formats/csv.js";
export { readCsv } from "./formats/csv-file.js";
export { imageFolder, type ImageFolderData, type ImageFolderOptions } from "./formats/image-folder.js";
