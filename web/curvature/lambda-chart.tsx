import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { SharpnessLog } from "../../src/io/run-log.js";

/** λmax and 2/lr per step, as uPlot's columns; a λmax ≤ 0 has no place on the log axis and is left out (null). */
export function lambdaColumns(sharpness: readonly SharpnessLog[]): uPlot.AlignedData {
  return [sharpness.map((s) => s.step), sharpness.map((s) => (s.lambdaMax > 0 ? s.lambdaMax : null)), sharpness.map((s) => 2 / s.lr)];
}

/**
 * λmax during training against 2/lr on a log axis (uPlot: the chart grows as SharpnessMonitor's records arrive). Gradient
 * descent is stable on a quadratic only while λmax < 2/lr; full-batch training rises to that edge and hovers there.
 */
export function LambdaChart({ sharpness }: { sharpness: readonly SharpnessLog[] }) {
  const box = useRef<HTMLDivElement>(null), plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const target = box.current!;
    plot.current = new uPlot({
      width: Math.max(320, target.clientWidth), height: 320,
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [{ label: "optimizer step" }, { label: "λmax (log scale)" }],
      series: [{ label: "step" }, { label: "λmax", stroke: "#0072B2", width: 2, points: { show: true } }, { label: "2/lr", stroke: "#E69F00", width: 2, dash: [6, 4] }],
    }, lambdaColumns(sharpness), target);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(320, target.clientWidth), height: 320 }));
    resize.observe(target);
    return () => { resize.disconnect(); plot.current?.destroy(); plot.current = null; };
  }, []);
  useEffect(() => { plot.current?.setData(lambdaColumns(sharpness)); }, [sharpness]);
  return <div ref={box} class="lambda-chart" data-points={sharpness.length} />;
}
