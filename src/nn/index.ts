export { Module } from "./module.js";
export { Linear, type LinearOptions } from "./linear.js";
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax, Identity } from "./activation.js";
export { Dropout } from "./dropout.js";
export { Flatten } from "./flatten.js";
export { Sequential } from "./sequential.js";
export { mlp, ACTIVATIONS, INITS, type MLPOptions, type ActivationName, type InitName } from "./mlp.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
