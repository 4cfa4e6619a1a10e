import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { OptionError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { pickSurface, surfaces } from "../../landscape/surfaces/catalog.js";
import { landscapeFigure } from "../../report/landscape-figure.js";
import { svgToPng } from "../../report/png.js";
import { checkFlags } from "../flag-rules.js";
import { raceJson, raceTable, runRace, theoryLines, type RaceFlags } from "../landscape-race.js";
import { lrFlag, lrsFor } from "../optimizer-lrs.js";
import { OPTIMIZER_NAMES } from "../optimizers.js";
import { integer, nameList, number, plainNumber } from "../parse.js";
import { outFile } from "../out-paths.js";
import { addOptimizerOptions } from "./train.js";

interface LandscapeFlags extends RaceFlags {
  json?: boolean;
  out?: string;
}

/** "x,y" → [x, y], two finite numbers. */
function point(v: string): [number, number] {
  const parts = v.split(",").map((s) => plainNumber(s.trim()));
  if (parts.length !== 2 || parts.some((p) => p === null || !Number.isFinite(p))) throw new InvalidArgumentError("expected two numbers x,y separated by a comma, like -1.5,2.");
  return [parts[0]!, parts[1]!];
}

/** `minima landscape <surface>`: optimizers racing on a test surface, drawn over its contours, with a table and, for quadratics, the theory. */
export function landscapeCommand(): Command {
  const names = Object.keys(surfaces);
  const cmd = new Command("landscape")
    .description("run optimizers on a 2-D test surface from the same start: their trajectories over its contours (SVG and PNG), " +
      "a steps-to-tolerance table, and for quadratics (valley, saddle) the theory of gradient descent and heavy ball next to what was measured")
    .addArgument(new Argument("<surface>", `one of ${names.join(", ")}`))
    .option("--optimizers <names>", `comma-separated, from ${OPTIMIZER_NAMES.join(", ")}`, nameList(OPTIMIZER_NAMES), ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]);
  addOptimizerOptions(cmd, new Option("--lr <rate|name=rate,...>", "learning rate: one for every optimizer, or one per optimizer (sgd=0.5,adam=0.05; " +
    "the others keep their usual one: sgd/momentum/nesterov 0.05, adam 1e-3)").argParser(lrFlag(OPTIMIZER_NAMES)));
  cmd.option("--steps <n>", "optimizer steps", integer(1), 200)
    .option("--start <x,y>", "where every optimizer starts (default: the surface's start)", point)
    .option("--tolerance <t>", "steps to tolerance count up to the first f − f* ≤ t", number(0, { inclusive: false }), 1e-6)
    .option("--json", "print everything as JSON, every point of every trajectory included, instead of the table")
    .option("--out <file>", "where to write the SVG; the PNG goes beside it (default: landscape-<surface>.svg)", outFile("an .svg file"));
  cmd.hook("preAction", () => {
    pickSurface(cmd.processedArgs[0] as string);
    const flags = cmd.opts<LandscapeFlags>();
    const twice = flags.optimizers.find((name, i) => flags.optimizers.indexOf(name) !== i);
    if (twice !== undefined) throw new OptionError({ where: "--optimizers", what: `names ${twice} twice`, expected: "each optimizer once" });
    checkFlags(cmd, flags.optimizers.map((optimizer) => ({ ...flags, optimizer })), { optimizer: "--optimizers" });
    lrsFor(flags.optimizers, flags.lr);
  });
  return cmd.action((name: string, flags: LandscapeFlags) => { runLandscape(name, flags); });
}

export function runLandscape(name: string, flags: LandscapeFlags): void {
  const surface = pickSurface(name);
  const race = runRace(surface, flags);
  const svgPath = flags.out ?? `landscape-${surface.name}.svg`;
  const pngPath = svgPath.replace(/\.svg$/i, "") + ".png";
  const svg = landscapeFigure({ surface, start: race.start, paths: race.runs.map((r) => ({ name: `${r.name} (lr ${r.lr})`, x: r.path.x, y: r.path.y })) });
  mkdirSync(dirname(resolve(svgPath)), { recursive: true });
  writeFileAtomic(svgPath, svg);
  writeFileAtomic(pngPath, svgToPng(svg, { width: 1440 }));
  if (flags.json) {
    console.log(JSON.stringify(raceJson(race, { svg: svgPath, png: pngPath })));
    return;
  }
  console.log(`minima landscape: ${flags.optimizers.join(", ")} on ${surface.name} (${surface.formula}) from (${race.start.join(", ")}), ${flags.steps} steps`);
  for (const line of theoryLines(race)) console.log(line);
  console.log("\n" + raceTable(race));
  console.log(`\ndrawn: ${svgPath}, ${pngPath}`);
}
