// Drawing the decision regions and the samples on a canvas: the grid's p(class 1) becomes an image, each pixel the
// colour of the likelier class, deeper the surer the model is (white where it is undecided), as TensorFlow Playground shows it.
import type { Points } from "./trainer.js";

/** Okabe & Ito's blue and orange, the report's colours of classes 0 and 1. */
export const CLASS_COLORS = ["#0072B2", "#E69F00"] as const;
const RGB = CLASS_COLORS.map((c) => [1, 3, 5].map((at) => parseInt(c.slice(at, at + 2), 16)));
/** How far a sure pixel goes from white toward its class's colour: the samples' dots stay visible on top. */
const DEPTH = 0.5;

/**
 * The grid as RGBA pixels, size × size, the top row being the grid's largest y (the grid is row-major by ascending y).
 * A node with p(class 1) = p takes the colour of class p > 1/2 ? 1 : 0, mixed with white by 1 − DEPTH·|2p − 1|.
 */
export function regionPixels(p1: Float32Array, size: number): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(new ArrayBuffer(4 * size * size));
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const p = p1[j * size + i]!, rgb = RGB[p > 0.5 ? 1 : 0]!, depth = Number.isFinite(p) ? DEPTH * Math.abs(2 * p - 1) : 0;
      const at = 4 * ((size - 1 - j) * size + i);
      for (let c = 0; c < 3; c++) pixels[at + c] = 255 + (rgb[c]! - 255) * depth;
      pixels[at + 3] = 255;
    }
  }
  return pixels;
}

/** The plane's extent the image covers: each grid node's pixel reaches half a step either side of it. */
export function extentOf(gridX: readonly number[], gridY: readonly number[]): { x0: number; x1: number; y0: number; y1: number } {
  const hx = (gridX[1]! - gridX[0]!) / 2, hy = (gridY[1]! - gridY[0]!) / 2;
  return { x0: gridX[0]! - hx, x1: gridX[gridX.length - 1]! + hx, y0: gridY[0]! - hy, y1: gridY[gridY.length - 1]! + hy };
}

/** Paints the regions over the whole canvas, then the samples: training ones as dots, test ones as rings. */
export function paint(canvas: HTMLCanvasElement, image: HTMLCanvasElement, extent: ReturnType<typeof extentOf>, train: Points, test: Points | null): void {
  const ctx = canvas.getContext("2d")!, { width, height } = canvas;
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(image, 0, 0, width, height);
  const px = (x: number) => ((x - extent.x0) / (extent.x1 - extent.x0)) * width;
  const py = (y: number) => height - ((y - extent.y0) / (extent.y1 - extent.y0)) * height;
  const dots = (points: Points, ring: boolean) => {
    for (let k = 0; k < points.label.length; k++) {
      ctx.beginPath();
      ctx.arc(px(points.xy[2 * k]!), py(points.xy[2 * k + 1]!), ring ? 3.5 : 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = CLASS_COLORS[points.label[k]!]!;
      // A thin dark edge keeps a dot visible on its own class's region; a test sample's thick one marks it apart.
      ctx.strokeStyle = ring ? "#1b1f24" : "rgba(27, 31, 36, 0.5)";
      ctx.lineWidth = ring ? 1.8 : 0.8;
      ctx.fill();
      ctx.stroke();
    }
  };
  dots(train, false);
  if (test) dots(test, true);
}
