import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { landscapeCommand } from "../../src/cli/commands/landscape.js";
import { parseCli, useCli } from "./run-minima.js";

const cli = useCli();
const parse = (...argv: string[]) => parseCli(landscapeCommand, ...argv);
const SURFACES = "valley, saddle, monkeySaddle, rosenbrock, banana, beale, himmelblau, rastrigin, plateau, cliff";

describe("minima landscape", () => {
  test("--json: every point of gradient descent on the valley equals the closed form x_k = −8(1 − lr/32)^k, y_k = (1 − 2lr)^k; the SVG and PNG are written", () => {
    const out = join(cli.tmp(), "valley.svg");
    const r = cli.run("landscape", "valley", "--optimizers", "sgd,adam", "--lr", "sgd=0.4,adam=0.1", "--steps", "60", "--json", "--out", out);
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.deepEqual(doc.runs.map((run: { optimizer: string; lr: number }) => [run.optimizer, run.lr]), [["sgd", 0.4], ["adam", 0.1]]);
    const sgd = doc.runs[0];
    assert.equal(sgd.x.length, 61);
    sgd.x.forEach((x: number, k: number) => assert.ok(Math.abs(x - -8 * (1 - 0.4 / 32) ** k) < 1e-12, `x_${k}`));
    sgd.y.forEach((y: number, k: number) => assert.ok(Math.abs(y - 0.2 ** k) < 1e-12, `y_${k}`));
    sgd.f.forEach((f: number, k: number) => assert.ok(Math.abs(f - (sgd.x[k] ** 2 / 64 + sgd.y[k] ** 2)) < 1e-12, `f_${k}`));
    assert.equal(sgd.theoryRate, Math.max(Math.abs(1 - 0.4 * 2), Math.abs(1 - 0.4 / 32)), "max |1 − lr·λ|");
    assert.equal(doc.runs[1].theoryRate, null, "adam has no closed-form rate");
    assert.equal(doc.theory.kappa, 64);
    assert.deepEqual(doc.files, { svg: out, png: out.replace(/svg$/, "png") });
    assert.match(readFileSync(out, "utf8"), /<title>sgd \(lr 0.4\)<\/title>/);
    assert.deepEqual([...readFileSync(doc.files.png).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(""), "PNG");
  });

  test("the text: the valley's theory lines, then the table; heavy ball at α*, β* and GD at its best lr show the theory's 7/9 and 63/65", () => {
    const out = join(cli.tmp(), "v.svg");
    const r = cli.run("landscape", "valley", "--optimizers", "momentum", "--lr", "1.580246913580247", "--momentum", "0.6049382716049383", "--steps", "100", "--out", out);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    assert.deepEqual(lines.slice(0, 5), [
      "minima landscape: momentum on valley (x²/64 + y²) from (-8, 1), 100 steps",
      "valley is a quadratic: λmax 2, λmin 0.03125, κ = λmax/λmin = 64.",
      "gradient descent converges iff lr < 2/λmax = 1; its best rate (κ−1)/(κ+1) = 0.9692 at lr 2/(λmax+λmin) = 0.9846.",
      "heavy ball (--optimizers momentum): best at lr α* = (2/(√λmax+√λmin))² = 1.58 and --momentum β* = ((√κ−1)/(√κ+1))² = 0.6049, rate (√κ−1)/(√κ+1) = 0.7778.",
      "A rate is the factor by which the distance to the minimum shrinks per step; measured over the second half of each run.",
    ]);
    assert.ok(lines.includes("| optimizer | lr | steps to f − f* ≤ 0.000001 | end (x, y) | f at the end | rate (measured) | rate (theory) |"), r.out);
    // The double root makes distances go as k·ρ^k: steps 50..100 measure ρ·2^(1/50) = 0.7887.
    assert.match(r.out, /\n\| momentum \| 1\.580246913580247 \| \d+ \| .* \| 0\.788\d \| 0\.7778 \|\n/);
    assert.equal(existsSync(join(out, "..", "v.png")), true);
    const gd = cli.run("landscape", "valley", "--optimizers", "sgd", "--lr", "0.9846153846153846", "--steps", "100", "--out", out);
    // f_k = 2·(63/65)^(2k) reaches 1e-6 only at k = 232.
    assert.match(gd.out, /\n\| sgd \| 0\.9846153846153846 \| not in 100 \| .* \| 0\.9692 \| 0\.9692 \|\n/);
  });

  test("the saddle: no minimum, so no tolerance; the theory says why", () => {
    const r = cli.run("landscape", "saddle", "--optimizers", "sgd", "--lr", "0.1", "--steps", "20", "--out", join(cli.tmp(), "s.svg"));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\nsaddle is a quadratic with Hessian eigenvalues 2 and -2: not positive definite, so it has no minimum to converge to \(unbounded below along the eigenvector of -2\)\.\n/);
    assert.match(r.out, /\| sgd \| 0\.1 \| no minimum \| /);
  });

  test("an unknown surface is refused with the list and the closest name (exit 2)", () => {
    const r = cli.run("landscape", "valey");
    assert.equal(r.code, 2);
    assert.equal(r.err, `minima: landscape: unknown surface "valey"; expected one of ${SURFACES}; did you mean "valley"?\n`);
  });

  test("bad flags: --start not a point, an lr for an optimizer not run, a flag no optimizer uses", () => {
    assert.equal(parse("valley", "--start", "1").error, "error: option '--start <x,y>' argument '1' is invalid. expected two numbers x,y separated by a comma, like -1.5,2.");
    assert.equal(parse("valley", "--optimizers", "sgd", "--lr", "adam=0.1").error,
      "minima: --lr: adam=0.1 would do nothing: --optimizers runs sgd; expected learning rates for those only, or adam added to --optimizers");
    assert.match(parse("valley", "--optimizers", "sgd", "--betas", "0.9,0.99").error ?? "", /^minima: --betas/);
    assert.equal(parse("valley", "--optimizers", "sgd,sgd").error, "minima: --optimizers: names sgd twice; expected each optimizer once");
  });
});
