import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type * as mn from "../../src/index.js";
import { setQuery, type Route } from "../route.js";
import type { FromWorker, ToWorker } from "./playground/protocol.js";
import { CurvesChart } from "./playground/curves-chart.js";
import { CLASS_COLORS, extentOf, paint, regionPixels } from "./playground/regions.js";
import { ACTIVATIONS, DATASETS, PLAYGROUND_OPTIMIZERS, settingsFromQuery, settingsToQuery, type PlaygroundSettings } from "./playground/settings.js";
import type { PlaygroundScores, Points } from "./playground/trainer.js";
import "./playground/playground.css";

/** The decision grid's nodes per side, and the canvas's size in CSS pixels. */
const GRID = 64, CANVAS = 420;
const LRS = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const L2S = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];
const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.5];
const OPTIMIZER_TITLES: Record<(typeof PLAYGROUND_OPTIMIZERS)[number], string> = {
  sgd: "SGD", momentum: "SGD + momentum 0.9", rmsprop: "RMSprop", adagrad: "Adagrad", adam: "Adam",
};

interface Data { train: Points; test: Points; extent: ReturnType<typeof extentOf>; parameters: number; backend: string }
/** The curves so far: epochs, then train loss, test loss, train accuracy, test accuracy. */
type Curves = [number[], number[], number[], number[], number[]];
const noCurves = (): Curves => [[], [], [], [], []];

/** TensorFlow Playground in minima: a 2-D classifier trained live in a worker, its decision regions redrawn as it learns. */
export function PlaygroundPage({ route }: { route: Route }) {
  const { settings: initial, refused } = useMemo(() => settingsFromQuery(route.query), []);
  const [settings, setSettings] = useState<PlaygroundSettings>(initial);
  const [data, setData] = useState<Data | null>(null);
  const [scores, setScores] = useState<PlaygroundScores | null>(null);
  const [running, setRunning] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [showTest, setShowTest] = useState(false);
  /** Grid nodes where the model says class 1 (p > 1/2), exposed for tests. */
  const [gridClass1, setGridClass1] = useState<number | null>(null);
  const curves = useRef<Curves>(noCurves());
  const [curveData, setCurveData] = useState<number[][]>(noCurves());
  const worker = useRef<Worker | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null), image = useRef<HTMLCanvasElement | null>(null), lastP1 = useRef<Float32Array | null>(null);
  const dataRef = useRef<Data | null>(null), showTestRef = useRef(showTest);

  const send = (message: ToWorker) => worker.current?.postMessage(message);
  const draw = () => {
    const d = dataRef.current, p1 = lastP1.current;
    if (!d || !p1 || !canvas.current) return;
    image.current ??= Object.assign(document.createElement("canvas"), { width: GRID, height: GRID });
    image.current.getContext("2d")!.putImageData(new ImageData(regionPixels(p1, GRID), GRID, GRID), 0, 0);
    paint(canvas.current, image.current, d.extent, d.train, showTestRef.current ? d.test : null);
  };

  useEffect(() => {
    const w = new Worker("/assets/playground-worker.js");
    worker.current = w;
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === "data") {
        dataRef.current = { train: m.train, test: m.test, extent: extentOf(m.gridX, m.gridY), parameters: m.parameters, backend: m.backend };
        setData(dataRef.current);
        curves.current = noCurves();
      } else if (m.type === "frame") {
        const s = m.scores, c = curves.current;
        if (c[0].at(-1) !== s.epoch) [s.epoch, s.trainLoss, s.testLoss, s.trainAccuracy, s.testAccuracy].forEach((v, k) => c[k]!.push(v));
        setCurveData([...c]);
        setScores(s);
        setRunning(m.running);
        if (m.stopped !== null) setNote(m.stopped);
        lastP1.current = m.p1;
        setGridClass1(m.p1.reduce((n, p) => n + (p > 0.5 ? 1 : 0), 0));
        draw();
      } else {
        setRunning(false);
        setNote(`The worker stopped: ${m.message}`);
      }
    };
    w.onerror = (e) => { setRunning(false); setNote(`The worker failed: ${e.message}`); };
    return () => w.terminate();
  }, []);

  // Any change of a setting starts over, as in TensorFlow Playground: the settings define the run.
  useEffect(() => {
    setQuery(route, settingsToQuery(settings));
    setNote(null);
    setScores(null);
    setGridClass1(null);
    setCurveData(noCurves());
    send({ type: "reset", settings, gridSize: GRID });
  }, [settings]);
  useEffect(() => { showTestRef.current = showTest; draw(); }, [showTest]);

  const change = (patch: Partial<PlaygroundSettings>) => setSettings({ ...settings, ...patch });
  const layers = settings.hidden.length, width = settings.hidden[0] ?? 8;
  const percent = (v: number) => `${(100 * v).toFixed(1)}%`;
  const choices = (values: number[], current: number) => (values.includes(current) ? values : [...values, current].sort((a, b) => a - b));

  return (
    <div class="playground" data-state={running ? "running" : "paused"} data-epoch={scores?.epoch ?? ""} data-steps={scores?.steps ?? ""}
      data-train-loss={scores?.trainLoss ?? ""} data-train-accuracy={scores?.trainAccuracy ?? ""}
      data-test-loss={scores?.testLoss ?? ""} data-test-accuracy={scores?.testAccuracy ?? ""} data-grid-class1={gridClass1 ?? ""} data-backend={data?.backend ?? ""}>
      {refused.length > 0 && <p class="error">Not used from the URL, defaults taken instead: {refused.join("; ")}.</p>}
      <div class="buttons">
        <button class="play" onClick={() => send({ type: running ? "pause" : "play" })}>{running ? "Pause" : "Train"}</button>
        <button class="step" onClick={() => send({ type: "step" })} title="Train one epoch (one pass over the training set), then pause">Step</button>
        <button class="reset" onClick={() => setSettings({ ...settings })} title="New initial weights from the same seed: the same run again">Reset</button>
        <span class="epoch">epoch <b>{scores?.epoch ?? 0}</b> · {scores?.steps ?? 0} steps</span>
        {data && <span class="backend muted" title="the kernels minima trains on in this page's worker">{data.backend} backend</span>}
      </div>
      <div class="columns">
        <section class="panel">
          <h3>Data</h3>
          <label>set <select value={settings.data} onChange={(e) => change({ data: e.currentTarget.value as mn.data.Toy2dName })}>
            {DATASETS.map((d) => <option value={d}>{d}</option>)}
          </select></label>
          <label>noise σ <input type="range" min="0" max="0.3" step="0.01" value={settings.noise} onChange={(e) => change({ noise: Number(e.currentTarget.value) })} /> <output>{settings.noise.toFixed(2)}</output></label>
          <label>training samples <select value={settings.samples} onChange={(e) => change({ samples: Number(e.currentTarget.value) })}>
            {choices([100, 200, 300, 500, 1000], settings.samples).map((n) => <option value={n}>{n}</option>)}
          </select></label>
          <label>seed <input type="number" min="0" step="1" value={settings.seed} onChange={(e) => { const v = Number(e.currentTarget.value); if (Number.isInteger(v) && v >= 0) change({ seed: v }); }} /></label>
          <label><input type="checkbox" checked={showTest} onChange={(e) => setShowTest(e.currentTarget.checked)} /> show the test samples (rings)</label>
          <h3>Network</h3>
          <label>hidden layers <input type="range" min="0" max="6" step="1" value={layers} onChange={(e) => { const n = Number(e.currentTarget.value); change({ hidden: Array(n).fill(width), ...(n === 0 ? { dropout: 0 } : {}) }); }} /> <output>{layers}</output></label>
          <label>neurons per layer <input type="range" min="1" max="64" step="1" value={width} disabled={layers === 0} onChange={(e) => change({ hidden: Array(layers).fill(Number(e.currentTarget.value)) })} /> <output>{settings.hidden.join("-") || "none"}</output></label>
          <label>activation <select value={settings.activation} onChange={(e) => change({ activation: e.currentTarget.value as mn.nn.ActivationName })}>
            {ACTIVATIONS.map((a) => <option value={a}>{a}</option>)}
          </select></label>
          <label title={layers === 0 ? "no hidden layer: no units to drop" : "the probability of zeroing each hidden unit in training"}>dropout <select value={settings.dropout} disabled={layers === 0} onChange={(e) => change({ dropout: Number(e.currentTarget.value) })}>
            {choices(DROPOUTS, settings.dropout).map((p) => <option value={p}>{p}</option>)}
          </select></label>
          <p class="muted">MLP 2-{settings.hidden.map((h) => `${h}-`).join("")}2{data ? `, ${data.parameters} parameters` : ""}</p>
          <h3>Training</h3>
          <label>optimizer <select value={settings.optimizer} onChange={(e) => change({ optimizer: e.currentTarget.value as PlaygroundSettings["optimizer"] })}>
            {PLAYGROUND_OPTIMIZERS.map((o) => <option value={o}>{OPTIMIZER_TITLES[o]}</option>)}
          </select></label>
          <label>learning rate <select value={settings.lr} onChange={(e) => change({ lr: Number(e.currentTarget.value) })}>
            {choices(LRS, settings.lr).map((lr) => <option value={lr}>{lr}</option>)}
          </select></label>
          <label>batch size <input type="range" min="1" max="64" step="1" value={Math.min(settings.batchSize, 64)} onChange={(e) => change({ batchSize: Number(e.currentTarget.value) })} /> <output>{settings.batchSize}</output></label>
          <label title="λ of the penalty (λ/2)·Σw² on the weights, not the biases">L2 λ <select value={settings.l2} onChange={(e) => change({ l2: Number(e.currentTarget.value) })}>
            {choices(L2S, settings.l2).map((v) => <option value={v}>{v}</option>)}
          </select></label>
        </section>
        <section class="plane">
          <canvas ref={canvas} width={CANVAS} height={CANVAS} class="regions" />
          <p class="legend">
            {CLASS_COLORS.map((c, k) => <span><i style={{ background: c }} /> class {k}</span>)}
            <span class="muted">deeper colour: surer model</span>
          </p>
          {note && <p class="error note">{note}</p>}
        </section>
        <section class="scores">
          <table>
            <tr><th></th><th>loss</th><th>accuracy</th></tr>
            <tr><td>train</td><td>{scores ? scores.trainLoss.toFixed(4) : "–"}</td><td class="train-accuracy">{scores ? percent(scores.trainAccuracy) : "–"}</td></tr>
            <tr><td>test</td><td>{scores ? scores.testLoss.toFixed(4) : "–"}</td><td class="test-accuracy">{scores ? percent(scores.testAccuracy) : "–"}</td></tr>
          </table>
          <CurvesChart title="Loss (cross-entropy, log scale)" log data={[curveData[0]!, curveData[1]!, curveData[2]!]}
            series={[{ label: "train", color: "#0072B2" }, { label: "test", color: "#D55E00", dashed: true }]} />
          <CurvesChart title="Accuracy" range={[0, 1]} data={[curveData[0]!, curveData[3]!, curveData[4]!]}
            series={[{ label: "train", color: "#0072B2" }, { label: "test", color: "#D55E00", dashed: true }]} />
          <p class="muted">Losses are the data's cross-entropy in eval mode (dropout off), without the L2 term the training adds.</p>
        </section>
      </div>
    </div>
  );
}
