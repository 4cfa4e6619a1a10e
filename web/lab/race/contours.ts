import { landscape, report } from "../../../src/index.js";
import type { Contours } from "./protocol.js";

/**
 * The surface's contours as `minima landscape` draws them (the report's grid and contourPlot), without paths: the
 * page draws the trajectories over them, so moving a slider redraws the paths only.
 */
export function surfaceContours(name: string, cover: [number, number]): Contours {
  const surface = landscape.pickSurface(name, landscape.surfaces, "race");
  const { grid, levelScale } = report.landscapeGrid(surface, cover);
  const svg = report.contourPlot({
    title: `${surface.name}: ${surface.formula}`, xLabel: "x", yLabel: "y", grid, levels: 14, levelScale,
    points: surface.minima.map((m) => ({ x: m[0], y: m[1], label: "minimum", shape: "star" as const })),
  });
  return { surface: name, svg, x: [grid.x[0]!, grid.x.at(-1)!], y: [grid.y[0]!, grid.y.at(-1)!] };
}
