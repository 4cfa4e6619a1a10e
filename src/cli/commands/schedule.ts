import { Command, Argument } from "commander";
import { constants } from "node:buffer";
import { mkdirSync } from "node:fs";
import { getHeapStatistics } from "node:v8";
import { dirname, resolve } from "node:path";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { SGD } from "../../optim/sgd.js";
import { lineChart } from "../../report/svg/line-chart.js";
import { zeros } from "../../tensor/create.js";
import { OptionError } from "../../errors.js";
import { checkFlags } from "../flag-rules.js";
import { formatBytes } from "../memory.js";
import { outFile } from "../out-paths.js";
import { integer, number } from "../parse.js";
import { addScheduleOptions, makeSchedule, SCHEDULE_NAMES, type ScheduleFlags } from "../schedules.js";

interface ScheduleCommandFlags extends Omit<ScheduleFlags, "schedule"> {
  steps: number;
  lr: number;
  stepsPerEpoch: number;
  out?: string;
}

/** `minima schedule <name>`: draws a learning-rate schedule as an SVG and prints its key values. */
export function scheduleCommand(): Command {
  const cmd = new Command("schedule")
    .description("draw a learning-rate schedule over N steps (an SVG), with the same options as train")
    .addArgument(new Argument("<name>", "the schedule").choices(SCHEDULE_NAMES))
    .option("--steps <n>", "optimizer steps to draw", integer(1), 1000)
    .option("--lr <rate>", "the base learning rate", number(0), 0.1)
    .option("--steps-per-epoch <n>", "steps in one epoch (sets the defaults counted in epochs; plateau sees a flat loss each epoch)", integer(1), 100)
    .option("--out <file>", "where to write the SVG (default: schedule-<name>.svg)", outFile("an .svg file"));
  addScheduleOptions(cmd, false);
  cmd.hook("preAction", () => checkFlags(cmd, [{ ...cmd.opts<ScheduleCommandFlags>(), schedule: cmd.processedArgs[0] as string }], { schedule: "schedule" }));
  return cmd.action((name: ScheduleFlags["schedule"] & string, flags: ScheduleCommandFlags) => {
    checkDrawable(flags.steps);
    const lrs = scheduleCurve(name, flags);
    const out = flags.out ?? `schedule-${name}.svg`;
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeFileAtomic(out, lineChart({ title: `${name} schedule (lr ${flags.lr})`, xLabel: "optimizer step", yLabel: "learning rate", series: [{ name, x: lrs.map((_, i) => i), y: lrs }] }));
    const at = (i: number) => `step ${i}: ${lrs[i]!.toPrecision(4)}`;
    const marks = [0, 1, Math.floor(flags.steps / 4), Math.floor(flags.steps / 2), flags.steps - 1].filter((i, k, all) => i < lrs.length && all.indexOf(i) === k);
    // A loop, not Math.min(...lrs): spreading a million steps overflows the call stack.
    const [min, max] = lrs.reduce(([lo, hi], lr) => [Math.min(lo, lr), Math.max(hi, lr)], [Infinity, -Infinity]);
    console.log(`${name}: ${marks.map(at).join(", ")}; min ${min.toPrecision(4)}, max ${max.toPrecision(4)}`);
    console.log(`drawn: ${out}`);
  });
}

/** The learning rate in effect at each of `steps` optimizer steps. */
export function scheduleCurve(name: ScheduleFlags["schedule"] & string, flags: ScheduleCommandFlags): number[] {
  const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: flags.lr });
  const driver = makeSchedule(opt, { ...flags, schedule: name }, { stepsPerEpoch: flags.stepsPerEpoch, totalSteps: flags.steps });
  const lrs: number[] = [];
  for (let i = 0; i < flags.steps; i++) {
    lrs.push(opt.paramGroups[0]!.lr);
    if (driver?.interval === "step") driver.scheduler.step();
    if ((i + 1) % flags.stepsPerEpoch === 0 && driver?.interval === "epoch") driver.scheduler.step(1);
  }
  return lrs;
}

/**
 * What drawing a curve costs per step, measured with /usr/bin/time on `minima schedule cosine`
 * (peak RSS 397 MB at 10⁶ steps, 1210 MB at 4·10⁶: 271 B per step, for the lrs, the chart's
 * points and path strings) and in the file (15 B of SVG per step at 10⁵ steps).
 */
const HEAP_BYTES_PER_STEP = 300;
const SVG_BYTES_PER_STEP = 16;

/**
 * The SVG draws every step: refuse up front a curve that cannot be drawn, before minutes of work
 * end in "JavaScript heap out of memory" (V8's heap limit, 4 GiB by default on 64-bit, raised with
 * --max-old-space-size) or in a string longer than Node holds (buffer.constants.MAX_STRING_LENGTH).
 */
export function checkDrawable(steps: number, heapLimit = getHeapStatistics().heap_size_limit, stringLimit = constants.MAX_STRING_LENGTH): void {
  const most = Math.min(Math.floor(heapLimit / HEAP_BYTES_PER_STEP), Math.floor(stringLimit / SVG_BYTES_PER_STEP));
  if (steps <= most) return;
  const heapBound = heapLimit / HEAP_BYTES_PER_STEP <= stringLimit / SVG_BYTES_PER_STEP;
  throw new OptionError({
    where: "--steps",
    what: heapBound
      ? `drawing ${steps} steps needs about ${formatBytes(steps * HEAP_BYTES_PER_STEP)} of memory (${HEAP_BYTES_PER_STEP} B per step), more than Node's heap limit of ${formatBytes(heapLimit)}`
      : `drawing ${steps} steps needs an SVG of about ${formatBytes(steps * SVG_BYTES_PER_STEP)} (${SVG_BYTES_PER_STEP} B per step), more than the ${formatBytes(stringLimit)} a string holds in Node`,
    expected: `at most ${most} steps`,
  });
}
