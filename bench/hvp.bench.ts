/**
 * 8. Hessian-vector products per second (issue 14): mn.landscape.hessian's H·v on the benchmark CNN (cnn.bench.ts's:
 * conv3x3 32 → maxpool → conv3x3 64 → maxpool → dense 128 → dense 10, 225,034 parameters) and one fixed batch of 64
 * Fashion-MNIST training images, float32, eval mode, against PyTorch's double-backward HVP on the same model and batch
 * (bench/torch_peer.py's hvp: torch.autograd.grad of the gradient, taken with create_graph, against v). Two ways on
 * each side: "per product", where each product runs the forward, the gradient with its graph and the second backward
 * (what a Hessian averaged over several batches must do, PyHessian's dataloader_hv_product), and "graph kept", where the
 * first-order graph is built once and each product is only the second backward (PyHessian's single-batch path).
 */
import * as mn from "../src/index.node.js";
import { gaussian } from "../src/landscape/linalg/vector.js";
import { DATE, bestOf, fmt, inNode, inTorch, median, rate as perSecond, table, times, type Best, type Tried } from "./common.js";

const BATCH = 64;
type Way = "per product" | "graph kept";
const WAYS: Way[] = ["per product", "graph kept"];
interface Spec { way: Way; warmup: number; products: number; budgetS: number }
interface Result { secondsPerProduct: number; products: number }

function cnn(): mn.nn.Module {
  const nn = mn.nn;
  return new nn.Sequential(new nn.Conv2d(1, 32, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(32, 64, 3), new nn.ReLU(),
    new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(1600, 128), new nn.ReLU(), new nn.Linear(128, 10));
}

/** Median seconds of `product` after `warmup` calls, over up to `products` calls within `budgetS` seconds. */
function timeProducts(product: () => void, spec: Spec): Result {
  for (let i = 0; i < spec.warmup; i++) product();
  const t: number[] = [];
  const start = performance.now();
  while (t.length < spec.products && (t.length < 3 || performance.now() - start < spec.budgetS * 1000)) {
    const s = performance.now();
    product();
    t.push((performance.now() - s) / 1000);
  }
  return { secondsPerProduct: median(t), products: t.length };
}

/** In a child process: minima's H·v, one way, on the first 64 training images in file order. */
export function measure(spec: Spec): Result {
  mn.manualSeed(0);
  const { train } = mn.data.fashionMnist();
  const [x, y] = train.tensors as [mn.Tensor, mn.Tensor];
  const batch = [x.narrow(0, 0, BATCH), y.narrow(0, 0, BATCH)];
  const model = cnn();
  const H = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, [batch], { keepGraph: spec.way === "graph kept" });
  const v = gaussian(H.size, new mn.Generator(1));
  return timeProducts(() => H.matvec(v), spec);
}

export function run(): string {
  let dir: string;
  try {
    dir = mn.data.findFashionMnist();
  } catch (e) {
    return `## Hessian-vector products, CNN on Fashion-MNIST — ${DATE}\n\nNot measured: ${(e as Error).message}`;
  }
  const settings = { warmup: 2, products: 30, budgetS: 20 };
  const hvpRate = (r: Result): number => 1 / r.secondsPerProduct;
  const rows = WAYS.flatMap((way) => {
    const sides: [string, Tried<Result>[]][] = [
      ["minima native", [1, 2].map((t) => ({ threads: t, r: inNode<Result>("hvp", { way, ...settings }, t, "native") }))],
      ["PyTorch", [1, 2].map((t) => ({ threads: t, r: inTorch<Result>("hvp", { dir, batch: BATCH, way, ...settings }, t) }))],
    ];
    const picked = sides.map(([name, tried]) => [name, bestOf(tried, hvpRate), tried] as [string, Best<Result>, Tried<Result>[]]);
    const torch = picked[1]![1];
    return picked.map(([name, b, tried]) => {
      const both = tried.map(({ threads, r }) => `${threads}t ${r?.ok ? perSecond(hvpRate(r.value)) : "—"}`).join(", ");
      if ("missing" in b) return [way, name, "—", "—", "—", "—", b.missing];
      return [way, name, b.threads, perSecond(hvpRate(b.value)), fmt(1000 * b.value.secondsPerProduct, 1),
        "missing" in torch ? "—" : times(hvpRate(b.value) / hvpRate(torch.value)), `median of ${b.value.products}; ${both}`];
    });
  });
  return [
    `## Hessian-vector products, CNN on Fashion-MNIST (issue 14) — ${DATE}`,
    "",
    "`npm run bench -- --only hvp`: H·v of the mean cross-entropy on one fixed batch of 64 Fashion-MNIST training images (the first 64 " +
      "in file order), the benchmark CNN (conv3x3 32 → ReLU → maxpool 2 → conv3x3 64 → ReLU → maxpool 2 → dense 128 → ReLU → dense 10, " +
      "225,034 parameters, float32, eval mode), a fixed Gaussian v. minima: `mn.landscape.hessian(model, crossEntropy, [batch]).matvec(v)` " +
      "(float64 vectors in and out, as the operator's callers use it). PyTorch: `torch.autograd.grad(grads, params, grad_outputs=v)` " +
      "with `grads` from `torch.autograd.grad(loss, params, create_graph=True)`. \"per product\": each product runs the forward, " +
      "the gradient with its graph and the second backward; \"graph kept\": the first-order graph is built once (minima's " +
      "`{ keepGraph: true }`, PyTorch's `retain_graph=True`) and each product is the second backward only. Products/s = 1 / the median " +
      "time of up to 30 products (20 s) after 2 warm-up products, each system at its faster thread setting (both in the note).",
    "",
    table(["way", "system", "threads", "HVPs/s", "ms/HVP", "speed vs PyTorch", "note"], rows),
  ].join("\n");
}
