export { surfaces, pickSurface, type SurfaceName } from "./catalog.js";
export { surface, valueAt, type Surface, type SurfaceSpec, type Point } from "./surface.js";
export { trajectory, stepsToTolerance, type Trajectory, type TrajectoryOptions, type Stepper } from "./trajectory.js";
export { quadraticTheory, gdRate, heavyBallRate, measuredRate, eigenvalues2, type QuadraticTheory } from "./quadratic-theory.js";
