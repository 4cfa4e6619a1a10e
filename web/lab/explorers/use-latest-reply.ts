import { useEffect, useRef, useState } from "preact/hooks";

/** What a worker answered for the latest request: its reply, or null while it is still working on it. */
export interface Latest<Reply> {
  reply: Reply | null;
  busy: boolean;
}

/**
 * Runs a bundled worker (`/assets/<name>-worker.js`) for the page's lifetime and sends it `request` whenever its
 * key changes (a null key: nothing to compute, the page shows its own error); replies carry the request's id, and only the latest request's reply is kept (a slider dragged fast
 * sends many, and an old answer must never overwrite a newer one).
 */
export function useLatestWorker<Request, Reply extends { id: number }>(workerName: string, request: Request, key: string | null): Latest<Reply> {
  const worker = useRef<Worker | null>(null);
  const latest = useRef(0);
  const [state, setState] = useState<Latest<Reply>>({ reply: null, busy: true });
  useEffect(() => {
    const w = new Worker(`/assets/${workerName}-worker.js`);
    w.addEventListener("message", (e: MessageEvent<Reply>) => {
      if (e.data.id === latest.current) setState({ reply: e.data, busy: false });
    });
    worker.current = w;
    return () => w.terminate();
  }, [workerName]);
  useEffect(() => {
    if (key === null) return;
    latest.current += 1;
    setState((s) => ({ ...s, busy: true }));
    worker.current!.postMessage({ id: latest.current, ...request });
  }, [key]);
  return state;
}
