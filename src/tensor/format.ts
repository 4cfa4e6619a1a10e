import type { Tensor } from "./tensor.js";

/**
 * Prints a tensor as torch does: `tensor([[1.0000, 2.0000], ...], dtype=float64, requiresGrad=true)`,
 * eliding the middle of long dims.
 */
export function formatTensor(t: Tensor): string {
  const isInt = t.dtype === "int32";
  const values = Array.from(t.data);
  const finite = values.filter(Number.isFinite);
  const maxAbs = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const sci = !isInt && maxAbs !== 0 && (maxAbs >= 1e8 || maxAbs < 1e-4);
  const fmt = (v: number): string => (isInt ? String(v) : sci ? v.toExponential(4) : v.toFixed(4));
  const width = values.length ? Math.max(...(values.length <= 1000 ? values : values.slice(0, 1000)).map((v) => fmt(v).length)) : 0;
  const edge = 3;
  const render = (dim: number, off: number, indent: string): string => {
    if (dim === t.ndim) return fmt(t.data[off]!).padStart(width);
    const n = t.shape[dim]!;
    const stride = t.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const picks = t.numel() > 1000 && n > 2 * edge
      ? [...Array.from({ length: edge }, (_, i) => i), -1, ...Array.from({ length: edge }, (_, i) => n - edge + i)]
      : Array.from({ length: n }, (_, i) => i);
    const parts = picks.map((i) => (i < 0 ? "..." : render(dim + 1, off + i * stride, indent + " ")));
    const sep = dim === t.ndim - 1 ? ", " : ",\n" + "\n".repeat(t.ndim - dim - 2) + indent + " ";
    return "[" + parts.join(sep) + "]";
  };
  const extras: string[] = [];
  if (t.dtype !== "float32") extras.push(`dtype=${t.dtype}`);
  if (t.gradFn) extras.push(`gradFn=${t.gradFn.name}`);
  else if (t.requiresGrad) extras.push("requiresGrad=true");
  return `tensor(${render(0, 0, "       ")}${extras.length ? ", " + extras.join(", ") : ""})`;
}
