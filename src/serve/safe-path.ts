import { realpathSync } from "node:fs";
import { join, sep } from "node:path";

/**
 * The file a URL path names under `root` (a real path), or null when it names nothing there: every
 * segment is percent-decoded once and must then be a plain name (no "..", ".", "/", "\\" or NUL, not
 * empty), and the resolved file, symbolic links followed, must still lie under root.
 */
export function resolveUnder(root: string, urlPath: string): string | null {
  const segments: string[] = [];
  for (const raw of urlPath.split("/")) {
    if (raw === "") continue;
    let name: string;
    try { name = decodeURIComponent(raw); } catch { return null; }
    if (name === "." || name === ".." || /[/\\\0]/.test(name)) return null;
    segments.push(name);
  }
  const candidate = join(root, ...segments);
  let real: string;
  try { real = realpathSync(candidate); } catch { return null; }
  return real === root || real.startsWith(root + sep) ? real : null;
}
