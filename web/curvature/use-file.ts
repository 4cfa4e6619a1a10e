import { useEffect, useState } from "preact/hooks";
import { fetchText } from "../api.js";

/** A file under the served folder, read once and parsed; `error` says why it could not be shown. */
export function useFile<T>(path: string, parse: (text: string, path: string) => T): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    fetchText(path).then((text) => parse(text, path)).then(
      (data) => live && setState({ data, error: null }),
      (e: unknown) => live && setState({ data: null, error: (e as Error).message }));
    return () => { live = false; };
  }, [path]);
  return state;
}
