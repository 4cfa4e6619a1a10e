import type { Route } from "../route.js";

/** Part 4 of issue 15 builds this page. */
export function StudyPage(_: { route: Route }) {
  return <p class="muted">This page is not built yet.</p>;
}
