// The shape of the loss: surfaces and trajectories, the Hessian of real networks, sharpness and slices. Browser-clean.
export { hessian, HessianOperator, type Batch, type HessianOptions } from "./hessian.js";
export { denseOperator, type LinearOperator } from "./linear-operator.js";
export { minEigen, topEigen, type EigenPairs, type MinEigenOptions, type TopEigenOptions } from "./linalg/eigen.js";
export { dense, type DenseOptions } from "./linalg/dense.js";
export { density, densityCurve, lanczosQuadrature, type DensityCurveOptions, type DensityOptions, type SpectralDensity } from "./linalg/density.js";
export { Lanczos } from "./linalg/lanczos.js";
export { trace, type TraceEstimate, type TraceOptions } from "./linalg/trace.js";
export { tridiagonalEigen } from "./linalg/tridiagonal.js";
export { powerIteration, type PowerOptions } from "./linalg/power.js";
export { epsSharpness, maximizeInBox, type EpsSharpness, type EpsSharpnessOptions, type BoxMaximizeOptions, type BoxMaximum, type BoxMethod, type Objective } from "./sharpness/index.js";
export * from "./slices/index.js";
export { surfaces, pickSurface, surface, valueAt, trajectory, stepsToTolerance, quadraticTheory, gdRate, heavyBallRate, measuredRate, eigenvalues2, type Surface, type SurfaceSpec, type SurfaceName, type Point, type Trajectory, type TrajectoryOptions, type Stepper, type QuadraticTheory } from "./surfaces/index.js";
export { spectralRadius } from "./spectral-radius.js";
export { SharpnessMonitor, type SharpnessMonitorOptions } from "./sharpness-monitor.js";
export { curvatureSummary, type CurvatureOptions, type CurvatureSummary } from "./curvature.js";
