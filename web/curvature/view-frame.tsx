import type { ComponentChildren } from "preact";
import { encodePath } from "../api.js";

/** One view of the curvature section: a heading, the file it reads (a link to it), and an error in place of the view when it could not be read. */
export function ViewFrame(props: { view: string; title: string; file: string; error: string | null; ready: boolean; children?: ComponentChildren }) {
  return (
    <section class="curvature-view" data-view={props.view} data-state={props.error ? "error" : props.ready ? "ready" : "loading"}>
      <h3>{props.title} <a class="file" href={`/files/${encodePath(props.file)}`}>{props.file}</a></h3>
      {props.error ? <p class="error">{props.error}</p> : props.ready ? props.children : <p class="muted">Loading…</p>}
    </section>
  );
}
