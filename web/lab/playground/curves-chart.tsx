import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";

export interface CurveSeries {
  label: string;
  color: string;
  /** Drawn dashed. */
  dashed?: boolean;
}

/**
 * Curves against the epoch, drawn with uPlot (canvas), redrawn when `data` changes: data[0] the epochs, data[k] the
 * k-th series' values. `log` puts the y axis on a log scale (losses fall over decades).
 */
export function CurvesChart(props: { title: string; series: CurveSeries[]; data: number[][]; log?: boolean; range?: [number, number]; width?: number; height?: number }) {
  const { title, series, data, log = false, range, width = 360, height = 180 } = props;
  const box = useRef<HTMLDivElement>(null), chart = useRef<uPlot | null>(null);
  useEffect(() => {
    const y: uPlot.Scale = log ? { distr: 3 } : range ? { range } : {};
    chart.current = new uPlot({
      title, width, height,
      scales: { x: { time: false }, y },
      axes: [{ label: "epoch" }, {}],
      legend: { live: false },
      series: [{ label: "epoch" }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, ...(s.dashed ? { dash: [5, 4] } : {}), points: { show: false } }))],
    }, data as uPlot.AlignedData, box.current!);
    return () => { chart.current?.destroy(); chart.current = null; };
  }, [title, log, width, height]);
  useEffect(() => { chart.current?.setData(data as uPlot.AlignedData); }, [data]);
  return <div ref={box} class="curves" />;
}
