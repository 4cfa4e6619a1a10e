import { adaptiveSize, avgPoolParams, maxPoolParams, type Pool2dParams } from "../autograd/ops/pool-window.js";
import { showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type AvgPool2dOptions, type MaxPool2dOptions, type Size2d } from "./functional.js";
import { Module } from "./module.js";

const windowRepr = (p: Pool2dParams): string =>
  `kernelSize=${showShape(p.kernel)}, stride=${showShape(p.stride)}, padding=${showShape(p.padding)}, ceilMode=${p.ceilMode}`;

/**
 * Max over sliding windows of a [C,H,W] or [N,C,H,W] input (torch.nn.MaxPool2d); the output
 * size formula is on F.maxPool2d. Options are checked here, at construction.
 * @example const pool = new mn.nn.MaxPool2d(2); // [N,C,28,28] → [N,C,14,14]
 */
export class MaxPool2d extends Module {
  private readonly params: Pool2dParams;
  constructor(readonly kernelSize: Size2d, readonly options: MaxPool2dOptions = {}) {
    super();
    this.params = maxPoolParams("MaxPool2d", kernelSize, options);
  }
  forward(x: Tensor): Tensor { return maxPool2d(x, this.kernelSize, this.options); }
  protected override extraRepr(): string { return `${windowRepr(this.params)}, dilation=${showShape(this.params.dilation)}`; }
}

/**
 * The mean of sliding windows (torch.nn.AvgPool2d); see F.avgPool2d.
 * @example const pool = new mn.nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
 */
export class AvgPool2d extends Module {
  private readonly params: Pool2dParams;
  constructor(readonly kernelSize: Size2d, readonly options: AvgPool2dOptions = {}) {
    super();
    this.params = avgPoolParams("AvgPool2d", kernelSize, options);
  }
  forward(x: Tensor): Tensor { return avgPool2d(x, this.kernelSize, this.options); }
  protected override extraRepr(): string {
    const { countIncludePad, divisorOverride } = this.params;
    return `${windowRepr(this.params)}, countIncludePad=${countIncludePad}, divisorOverride=${divisorOverride || null}`;
  }
}

/**
 * Average pooling to a fixed output size, whatever the input size (torch.nn.AdaptiveAvgPool2d);
 * see F.adaptiveAvgPool2d for the windows.
 * @example const gap = new mn.nn.AdaptiveAvgPool2d(1); // global average pooling
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly [number | null, number | null]) {
    super();
    adaptiveSize("AdaptiveAvgPool2d", outputSize);
  }
  forward(x: Tensor): Tensor { return adaptiveAvgPool2d(x, this.outputSize); }
  protected override extraRepr(): string { return `outputSize=${JSON.stringify(this.outputSize)}`; }
}
