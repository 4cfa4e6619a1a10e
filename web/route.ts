/**
 * The page's routes live in location.hash, so a link or a reload lands on the same view:
 * "#/" runs, "#/run/<path>", "#/study/<path>", "#/lab/<tool>"; a view's settings go after "?" ("#/run/runs/a?smooth=0.6").
 */
export interface Route {
  /** "runs", "run", "study", "lab" (or "" for an unknown route). */
  page: string;
  /** What follows the page name: a run or study path, or the lab tool's name (race, schedules, ewma, minibatch, playground). */
  rest: string;
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, "");
  const q = body.indexOf("?");
  const path = q < 0 ? body : body.slice(0, q), query = new URLSearchParams(q < 0 ? "" : body.slice(q + 1));
  const slash = path.indexOf("/");
  const page = slash < 0 ? path : path.slice(0, slash), rest = slash < 0 ? "" : decodeURIComponent(path.slice(slash + 1));
  return { page: page === "" ? "runs" : page, rest, query };
}

/** The hash of a route ("#/run/runs/a?smooth=0.6"). */
export function routeHash(page: string, rest = "", query?: Record<string, string | number>): string {
  const q = query === undefined ? "" : new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return `#/${page}${rest === "" ? "" : `/${rest.split("/").map(encodeURIComponent).join("/")}`}${q === "" ? "" : `?${q}`}`;
}

/** Replaces the current view's settings in the URL without adding a history entry (sliders call it as they move). */
export function setQuery(route: Route, changes: Record<string, string | number | null>): void {
  const query = new URLSearchParams(route.query);
  for (const [k, v] of Object.entries(changes)) if (v === null) query.delete(k); else query.set(k, String(v));
  history.replaceState(null, "", routeHash(route.page, route.rest, Object.fromEntries(query)));
}
