// torch.autograd.functional: derivatives of a function at a point, built on grad() and double backward.
export { vjp } from "./vjp.js";
export { jvp } from "./jvp.js";
export { hvp, vhp } from "./hvp.js";
export { jacobian, type JacobianOf } from "./jacobian.js";
export { hessian, type HessianOf } from "./hessian.js";
export type { FunctionalOptions, Tensors, Like, Args } from "./arguments.js";
