import { scaleLinear } from "d3-scale";
import { line } from "d3-shape";
import { useMemo, useRef } from "preact/hooks";
import { optimizerColor } from "./optimizers.js";
import type { Contours, RaceResult } from "./protocol.js";

type Point = [number, number];
/** The plot area of the report's contour plot, in its viewBox's units. */
interface Area { x: number; y: number; width: number; height: number; viewWidth: number; viewHeight: number }

// A path leaving the plot by far (a diverging optimizer) stops being drawn where its pixels pass this bound, as in the report.
const FAR = 1e5;

/** Where contourPlot put its plot area: its clip rectangle (the plot spans the grid's nodes exactly). */
function plotArea(svg: string): Area {
  const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
  const rect = doc.querySelector("clipPath rect")!, root = doc.documentElement;
  const [, , viewWidth, viewHeight] = root.getAttribute("viewBox")!.split(" ").map(Number);
  const at = (name: string) => Number(rect.getAttribute(name));
  return { x: at("x"), y: at("y"), width: at("width"), height: at("height"), viewWidth: viewWidth!, viewHeight: viewHeight! };
}

/** A value rounded to about a thousandth of the window's span, as a short decimal. */
function round(v: number, span: number): number {
  const digits = Math.max(0, -Math.floor(Math.log10(span / 1000)));
  return Number(v.toFixed(digits));
}

/**
 * The surface's contours (the report's SVG, drawn once per surface) with each racer's trajectory over them; a click
 * or a drag on the plot moves the start.
 */
export function RacePlot(props: { contours: Contours; result: RaceResult | null; start: Point; onStart: (p: Point) => void }) {
  const { contours, result, start, onStart } = props;
  const area = useMemo(() => plotArea(contours.svg), [contours.svg]);
  const sx = scaleLinear().domain(contours.x).range([area.x, area.x + area.width]);
  const sy = scaleLinear().domain(contours.y).range([area.y + area.height, area.y]);
  const overlay = useRef<SVGSVGElement>(null);
  const dragging = useRef(false);

  const pointAt = (e: PointerEvent): Point | null => {
    const svg = overlay.current, matrix = svg?.getScreenCTM();
    if (!svg || !matrix) return null;
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(matrix.inverse());
    if (p.x < area.x || p.x > area.x + area.width || p.y < area.y || p.y > area.y + area.height) return null;
    return [round(sx.invert(p.x), contours.x[1] - contours.x[0]), round(sy.invert(p.y), contours.y[1] - contours.y[0])];
  };
  const move = (e: PointerEvent) => {
    const p = pointAt(e);
    if (p) onStart(p);
  };

  const near = ([a, b]: Point) => Math.abs(a) < FAR && Math.abs(b) < FAR;
  const draw = line<Point>().defined(near);
  const paths = (result?.racers ?? []).map((r) => {
    const nodes = r.x.map((x, k): Point => [sx(x), sy(r.y[k]!)]);
    return { name: r.name, color: optimizerColor(r.name), d: draw(nodes) ?? "", end: nodes.at(-1) };
  });
  return (
    <div class="race-plot">
      <div class="race-contours" dangerouslySetInnerHTML={{ __html: contours.svg }} />
      <svg ref={overlay} class="race-paths" viewBox={`0 0 ${area.viewWidth} ${area.viewHeight}`} data-surface={contours.surface}
        onPointerDown={(e) => { dragging.current = true; (e.currentTarget as SVGSVGElement).setPointerCapture(e.pointerId); move(e); }}
        onPointerMove={(e) => { if (dragging.current) move(e); }}
        onPointerUp={() => { dragging.current = false; }}>
        <defs><clipPath id="race-area"><rect x={area.x} y={area.y} width={area.width} height={area.height} /></clipPath></defs>
        <rect class="race-area" x={area.x} y={area.y} width={area.width} height={area.height} fill="transparent" />
        <g clip-path="url(#race-area)">
          {/* White halos first, then the paths: the light colours stay readable over the darker bands, and no halo hides another path. */}
          {paths.map((p) => <path d={p.d} fill="none" stroke="white" stroke-width={4.5} stroke-opacity={0.85} stroke-linejoin="round" />)}
          {paths.map((p) => (
            <g class="race-path" data-racer={p.name} key={p.name}>
              <path d={p.d} fill="none" stroke={p.color} stroke-width={2} stroke-linejoin="round" />
              {p.end && near(p.end) && <circle cx={p.end[0]} cy={p.end[1]} r={4} fill={p.color} stroke="white" />}
            </g>
          ))}
          <circle cx={sx(start[0])} cy={sy(start[1])} r={5} fill="#222" stroke="white" stroke-width={1.5} />
          <text x={sx(start[0]) + 8} y={sy(start[1]) - 8} font-size={12}>start</text>
        </g>
      </svg>
    </div>
  );
}
