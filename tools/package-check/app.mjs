// A plain Node ESM consumer: the Node entry, the embedded digits, one epoch of fit.
import * as mn from "minima-ml";

mn.manualSeed(0);
const { train, test } = mn.data.mnist();
const model = mn.nn.mlp({ inputs: 784, hidden: [64], outputs: 10 });
const history = mn.train.fit(model, { train, test, optimizer: new mn.optim.Adam(model.parameters()), epochs: 1, batchSize: 64 });
console.log(JSON.stringify({ backend: mn.getBackend(), threads: mn.getNumThreads(), testAccuracy: history.epochs[0].testAccuracy }));
