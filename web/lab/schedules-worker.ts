// The schedule explorer's worker: builds the scheduler with minima's own schedule code and sends back its lr curve.
import { scheduleCurve } from "./schedules/curve.js";
import type { ScheduleSpec } from "./schedules/spec.js";

export interface CurveRequest { id: number; spec: ScheduleSpec }
export type CurveReply = { id: number; lrs: Float64Array; loss: Float64Array | null } | { id: number; error: string };

addEventListener("message", (e: MessageEvent<CurveRequest>) => {
  const { id, spec } = e.data;
  let reply: CurveReply;
  try {
    const { lrs, loss } = scheduleCurve(spec);
    reply = { id, lrs, loss };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  postMessage(reply);
});
