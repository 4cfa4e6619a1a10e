// The race's worker: runs minima's optimizers over the test surfaces (the library's own code, on the backend the core picks) and
// draws the surfaces' contours, off the page's thread so sliders stay smooth.
import { surfaceContours } from "./race/contours.js";
import type { RaceReply, RaceRequest, RacerResult } from "./race/protocol.js";
import { runRace } from "./race/run-race.js";

const reply = (message: RaceReply) => postMessage(message);
// The last race's racers by their settings: moving one racer's slider reruns that racer only.
let last = new Map<string, RacerResult>();

addEventListener("message", (event: MessageEvent<RaceRequest>) => {
  const request = event.data;
  try {
    if (request.kind === "contours") reply({ kind: "contours", id: request.id, contours: surfaceContours(request.surface, request.cover) });
    else {
      const { result, racers } = runRace(request.settings, last);
      last = racers;
      reply({ kind: "race", id: request.id, result });
    }
  } catch (e) {
    reply({ kind: "error", id: request.id, message: (e as Error).message });
  }
});
