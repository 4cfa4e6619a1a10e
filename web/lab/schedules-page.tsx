import type { Route } from "../route.js";

/** Part 6 of issue 15 builds this page. */
export function SchedulesPage(_: { route: Route }) {
  return <p class="muted">This page is not built yet.</p>;
}
