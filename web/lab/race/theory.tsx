import type { TheoryResult } from "./protocol.js";
import { show } from "./race-table.js";

/**
 * What theory says about gradient descent and heavy ball on a quadratic (Distill's "Why Momentum Really Works",
 * Polyak 1964), with buttons that set those optimizers to their best settings.
 */
export function Theory(props: { surface: string; theory: TheoryResult; onBestGd: () => void; onBestHeavyBall: () => void }) {
  const { surface, theory: { eigenvalues, theory }, onBestGd, onBestHeavyBall } = props;
  if (theory === null) {
    return (
      <div class="race-theory">
        <p>{surface} is a quadratic with Hessian eigenvalues {show(eigenvalues[0])} and {show(eigenvalues[1])}: not positive definite, so it has no
          minimum to converge to (unbounded below along the eigenvector of {show(eigenvalues[1])}).</p>
      </div>
    );
  }
  return (
    <div class="race-theory">
      <p>{surface} is a quadratic: λmax {show(theory.lambdaMax)}, λmin {show(theory.lambdaMin)}, κ = λmax/λmin = {show(theory.kappa)}.</p>
      <p>Gradient descent converges iff lr &lt; 2/λmax = {show(theory.gdMaxLr)}; its best rate (κ−1)/(κ+1) = {show(theory.gdBestRate)} at
        lr 2/(λmax+λmin) = {show(theory.gdBestLr)}. <button type="button" onClick={onBestGd}>SGD at that lr</button></p>
      <p>Heavy ball is best at lr α* = (2/(√λmax+√λmin))² = {show(theory.heavyBallLr)} and β* = ((√κ−1)/(√κ+1))² = {show(theory.heavyBallMomentum)}:
        rate (√κ−1)/(√κ+1) = {show(theory.heavyBallRate)}. <button type="button" onClick={onBestHeavyBall}>momentum at α*, β*</button></p>
      <p class="muted">A rate is the factor by which the distance to the minimum shrinks per step; measured over the second half of each run.</p>
    </div>
  );
}
