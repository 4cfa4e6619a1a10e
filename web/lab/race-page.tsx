import type { Route } from "../route.js";

/** Part 5 of issue 15 builds this page. */
export function RacePage(_: { route: Route }) {
  return <p class="muted">This page is not built yet.</p>;
}
