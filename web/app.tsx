import { render, type ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { parseRoute, type Route } from "./route.js";
import { RunsPage } from "./pages/runs-page.js";
import { RunPage } from "./pages/run-page.js";
import { StudyPage } from "./pages/study-page.js";
import { RacePage } from "./lab/race-page.js";
import { SchedulesPage } from "./lab/schedules-page.js";
import { EwmaPage } from "./lab/ewma-page.js";
import { MinibatchPage } from "./lab/minibatch-page.js";
import { PlaygroundPage } from "./lab/playground-page.js";
import { AnalysisPage } from "./curvature/analysis-page.js";
import "./app.css";

/** A page of the app: it gets the route (its path and settings) and draws itself. */
export type Page = ComponentType<{ route: Route }>;

const PAGES: Record<string, Page> = { runs: RunsPage, run: RunPage, study: StudyPage, analysis: AnalysisPage };
const LAB: [tool: string, title: string, page: Page][] = [
  ["race", "Race", RacePage], ["schedules", "Schedules", SchedulesPage], ["ewma", "EWMA", EwmaPage],
  ["minibatch", "Mini-batch", MinibatchPage], ["playground", "Playground", PlaygroundPage],
];

function App() {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  const lab = route.page === "lab" ? LAB.find(([tool]) => tool === (route.rest || "race")) : undefined;
  const Current = lab?.[2] ?? PAGES[route.page];
  const key = `${route.page}/${route.rest}`;
  return (
    <>
      <header class="bar">
        <a class="brand" href="#/">minima</a>
        <nav>
          <a href="#/" class={route.page === "runs" ? "on" : ""}>Runs</a>
          {LAB.map(([tool, title]) => <a href={`#/lab/${tool}`} class={lab?.[0] === tool ? "on" : ""}>{title}</a>)}
        </nav>
      </header>
      <main>{Current ? <Current key={key} route={route} /> : <p class="error">Nothing here: {location.hash}</p>}</main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
