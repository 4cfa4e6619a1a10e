// The mini-batch explorer's worker: trains the same least-squares problem with batch sizes side by side, with
// minima's DataLoader, loss, autograd and SGD (on the backend the core picks in a browser), and sends back each path.
import { makeProblem, type Problem } from "./minibatch/problem.js";
import { trainPath, type Path } from "./minibatch/train.js";

export interface MinibatchRequest { id: number; n: number; batchSizes: number[]; lr: number; epochs: number; seed: number }
export type MinibatchReply = { id: number; problem: Problem; paths: Path[] } | { id: number; error: string };

addEventListener("message", (e: MessageEvent<MinibatchRequest>) => {
  const { id, n, batchSizes, lr, epochs, seed } = e.data;
  let reply: MinibatchReply;
  try {
    const problem = makeProblem(seed, n);
    reply = { id, problem, paths: batchSizes.map((b) => trainPath(problem, b, lr, epochs, seed + 1)) };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  postMessage(reply);
});
