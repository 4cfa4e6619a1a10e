// The study's static views, drawn by the report's own SVG code (mn.report.studyPlots): the metric against each
// parameter (log axes for log parameters), parallel coordinates, the coarse-to-fine boxes, grid-versus-random coverage.
import { useEffect, useState } from "preact/hooks";
import * as mn from "../../src/index.js";
import type { StudyModel } from "./study-model.js";

/** Points per scatter chart and lines of the parallel coordinates, at most: the SVG stays light in the page. */
const FIGURE_LIMITS = { maxPoints: 1000, maxLines: 300 };

// The learning curves are the canvas chart above (live, larger); the other plots are the report's.
export function StudyFigures({ model }: { model: StudyModel }) {
  // Drawn after the page's first paint (the table and the canvas charts come first): on 10,000 trials the SVG takes a second.
  const [plots, setPlots] = useState<mn.report.RunPlot[] | null>(null);
  useEffect(() => {
    // The next frame's callback runs before that frame is painted, a timeout set there after it.
    let timer = 0;
    const frame = requestAnimationFrame(() => { timer = window.setTimeout(() => setPlots(mn.report.studyPlots(model.data, FIGURE_LIMITS).filter((p) => p.name !== "curves")), 0); });
    return () => { cancelAnimationFrame(frame); clearTimeout(timer); };
  }, [model]);
  if (plots === null) return <p class="muted">Drawing the parameter plots…</p>;
  return (
    <section class="study-figures">
      {plots.map((p) => (
        <figure data-figure={p.name}>
          {p.svg === null ? <p class="muted">{p.note}</p> : <div dangerouslySetInnerHTML={{ __html: p.svg }} />}
          <figcaption>{p.caption}</figcaption>
        </figure>
      ))}
    </section>
  );
}
