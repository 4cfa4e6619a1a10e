export { randomHorizontalFlip, type RandomFlipOptions } from "./flip.js";
export { randomCrop, randomShift, type RandomCropOptions } from "./crop.js";
export { gaussianNoise, type GaussianNoiseOptions } from "./noise.js";
export { cutout, type CutoutOptions } from "./cutout.js";
export { mixup, cutmix, type MixOptions } from "./mix.js";
