import { useEffect, useRef, useState } from "preact/hooks";
import type { Contours, RaceReply, RaceRequest, RaceResult } from "./protocol.js";
import type { RaceSettings } from "./settings.js";

declare global {
  interface Window {
    /** The race drawn last (every racer's whole trajectory): tests compare it with Node's. */
    __race?: RaceResult;
  }
}

/**
 * The race's worker, kept busy with the latest settings only: while it runs one race, settings that arrive wait,
 * and each newer one replaces the waiting one, so a dragged slider never builds a queue.
 */
export function useRaceWorker(settings: RaceSettings, cover: [number, number]): { contours: Contours | null; result: RaceResult | null; error: string | null } {
  const [contours, setContours] = useState<Contours | null>(null);
  const [result, setResult] = useState<RaceResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const state = useRef({ worker: null as Worker | null, nextId: 1, contoursId: 0, raceId: 0, busy: false, waiting: null as RaceSettings | null });

  const post = (request: RaceRequest) => state.current.worker?.postMessage(request);
  const race = (s: RaceSettings) => {
    const st = state.current;
    if (st.busy) {
      st.waiting = s;
      return;
    }
    st.busy = true;
    st.raceId = st.nextId++;
    post({ kind: "race", id: st.raceId, settings: s });
  };

  useEffect(() => {
    const worker = new Worker("/assets/race-worker.js");
    const st = state.current;
    st.worker = worker;
    worker.onmessage = (event: MessageEvent<RaceReply>) => {
      const reply = event.data;
      if (reply.kind === "contours") {
        if (reply.id === st.contoursId) setContours(reply.contours);
        return;
      }
      if (reply.id === st.raceId) {
        st.busy = false;
        if (reply.kind === "race") {
          // Before the page shows it, so a test that sees the page ready finds the same race here.
          window.__race = reply.result;
          setResult(reply.result);
          setError(null);
        } else setError(reply.message);
        const next = st.waiting;
        st.waiting = null;
        if (next) race(next);
      } else if (reply.kind === "error") setError(reply.message);
    };
    worker.onerror = (e) => setError(`the race's worker failed: ${e.message}`);
    return () => {
      worker.terminate();
      st.worker = null;
    };
  }, []);

  useEffect(() => {
    const st = state.current;
    st.contoursId = st.nextId++;
    post({ kind: "contours", id: st.contoursId, surface: settings.surface, cover });
  }, [settings.surface, cover[0], cover[1]]);

  useEffect(() => race(settings), [settings]);
  return { contours, result, error };
}
