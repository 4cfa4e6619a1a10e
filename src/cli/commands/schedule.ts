import { Command, Argument } from "commander";
import { writeFileAtomic } from "../../io/atomic-write.js";
import { SGD } from "../../optim/sgd.js";
import { lineChart } from "../../report/svg/line-chart.js";
import { zeros } from "../../tensor/create.js";
import { checkFlags } from "../flag-rules.js";
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
    .option("--out <file>", "where to write the SVG (default: schedule-<name>.svg)");
  addScheduleOptions(cmd, false);
  cmd.hook("preAction", () => checkFlags(cmd, [{ ...cmd.opts<ScheduleCommandFlags>(), schedule: cmd.processedArgs[0] as string }], { schedule: "schedule" }));
  return cmd.action((name: ScheduleFlags["schedule"] & string, flags: ScheduleCommandFlags) => {
    const lrs = scheduleCurve(name, flags);
    const out = flags.out ?? `schedule-${name}.svg`;
    writeFileAtomic(out, lineChart({ title: `${name} schedule (lr ${flags.lr})`, xLabel: "optimizer step", yLabel: "learning rate", series: [{ name, x: lrs.map((_, i) => i), y: lrs }] }));
    const at = (i: number) => `step ${i}: ${lrs[i]!.toPrecision(4)}`;
    const marks = [0, 1, Math.floor(flags.steps / 4), Math.floor(flags.steps / 2), flags.steps - 1].filter((i, k, all) => i < lrs.length && all.indexOf(i) === k);
    console.log(`${name}: ${marks.map(at).join(", ")}; min ${lrs.reduce((a, b) => Math.min(a, b)).toPrecision(4)}, max ${lrs.reduce((a, b) => Math.max(a, b)).toPrecision(4)}`);
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
