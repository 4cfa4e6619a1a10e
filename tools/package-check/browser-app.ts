// A strict TypeScript consumer for the browser (bundler resolution, no @types/node): the core's types only.
import * as mn from "minima-ml";

const x = mn.randn([64, 4], { generator: new mn.Generator(0) });
const y = mn.randint(0, 3, [64], { generator: new mn.Generator(1) });
const model = new mn.nn.Sequential(new mn.nn.Linear(4, 8), new mn.nn.ReLU(), new mn.nn.Linear(8, 3));
const optimizer = new mn.optim.Adam(model.parameters(), { lr: 1e-2 });
const history = mn.train.fit(model, { train: new mn.data.TensorDataset(x, y), optimizer, epochs: 2, batchSize: 16 });
const bytes: Uint8Array = mn.io.encodeSafetensors(model.stateDict());
const svg: string = mn.report.lineChart({ title: "loss", xLabel: "step", yLabel: "loss", series: [{ name: "train", x: history.steps.map((s) => s.step), y: history.steps.map((s) => s.loss) }] });
// @ts-expect-error file IO is the Node entry's, not the browser core's
mn.io.loadSafetensors("model.safetensors");
console.log(bytes.length, svg.length, mn.getBackend());
