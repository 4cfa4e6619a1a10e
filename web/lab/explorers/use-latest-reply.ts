import { useEffect, useRef, useState } from "preact/hooks";

/** What a worker last answered, and whether that answer is still behind the latest request. */
export interface Latest<Reply> {
  reply: Reply | null;
  busy: boolean;
}

/**
 * Runs a bundled worker (`/assets/<name>-worker.js`) for the page's lifetime and sends it `request` whenever its
 * key changes (a null key: nothing to compute, the page shows its own error); replies carry the request's id, and only the latest request's reply is kept (a slider dragged fast
 * sends many, and an old answer must never overwrite a newer one). `busy` is worked out in the render from the key
 * the reply answered, so a render with a new key never shows the previous reply as current (an effect that set
 * busy would run only after that render).
 */
export function useLatestWorker<Request, Reply extends { id: number }>(workerName: string, request: Request, key: string | null): Latest<Reply> {
  const worker = useRef<Worker | null>(null);
  const latest = useRef({ id: 0, key: null as string | null });
  const [answered, setAnswered] = useState<{ reply: Reply | null; key: string | null }>({ reply: null, key: null });
  useEffect(() => {
    const w = new Worker(`/assets/${workerName}-worker.js`);
    w.addEventListener("message", (e: MessageEvent<Reply>) => {
      if (e.data.id === latest.current.id) setAnswered({ reply: e.data, key: latest.current.key });
    });
    worker.current = w;
    return () => w.terminate();
  }, [workerName]);
  useEffect(() => {
    if (key === null) return;
    latest.current = { id: latest.current.id + 1, key };
    worker.current!.postMessage({ id: latest.current.id, ...request });
  }, [key]);
  return { reply: answered.reply, busy: key === null || answered.key !== key };
}
