import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/**
 * A uPlot chart as wide as its box, drawn again when its data or options change. (The study page's own
 * small wrapper; the runs pages' <UPlotChart> of web/charts/ can replace it once both are on main.)
 */
export function UPlot(props: { options: Omit<uPlot.Options, "width">; data: uPlot.AlignedData; points: number; name: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const plot = new uPlot({ ...props.options, width: Math.max(300, el.clientWidth) }, props.data, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(300, el.clientWidth), height: props.options.height }));
    resize.observe(el);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [props.options, props.data]);
  // data-points: how many points the chart draws, for tests and for the reader of the page's DOM.
  return <div class="uplot-box" ref={box} data-chart={props.name} data-points={props.points} />;
}
