import { createRequire } from "node:module";
import type { Resvg as ResvgClass } from "@resvg/resvg-js";
import { MinimaError, OptionError } from "../errors.js";

export interface SvgToPngOptions {
  /** Width of the PNG in pixels; the height follows the SVG's aspect ratio. Default: the SVG's own width. */
  width?: number;
}

/**
 * Rasterizes an SVG (a lineChart, say) to PNG bytes with resvg, which draws text with the
 * system's fonts. A machine without any font would give charts without a single label, so
 * that is an error that says which package to install.
 * @example writeFileSync("loss.png", mn.report.svgToPng(lineChart({ ... }), { width: 1440 }));
 */
export function svgToPng(svg: string, options: SvgToPngOptions = {}): Uint8Array {
  const { width } = options;
  if (width !== undefined && !(Number.isInteger(width) && width > 0)) {
    throw new OptionError({ where: "svgToPng", what: "width must be a positive integer", got: String(width) });
  }
  checkFonts();
  const resvg = newResvg(svg, { font: FONTS, background: "white", ...(width === undefined ? {} : { fitTo: { mode: "width", value: width } }) });
  return resvg.render().asPng();
}

// resvg-js draws the charts' "sans-serif" in its default family, which is otherwise the first system
// font it finds (a serif one on Debian). DejaVu Sans is what Debian's fonts-dejavu-core installs;
// where it is missing, resvg falls back to any font it has.
const FONTS = { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" };
let fontsChecked = false;

/** resvg, loaded on the first PNG rather than with minima (a native library most training scripts never draw with). */
let resvgClass: typeof ResvgClass | null = null;
function newResvg(...args: ConstructorParameters<typeof ResvgClass>): ResvgClass {
  resvgClass ??= (createRequire(import.meta.url)("@resvg/resvg-js") as { Resvg: typeof ResvgClass }).Resvg;
  return new resvgClass(...args);
}

// resvg silently draws no text when it finds no font; draw one word once and look for ink.
function checkFonts(): void {
  if (fontsChecked) return;
  const probe = `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="30"><text x="5" y="22" font-family="sans-serif" font-size="20">Ag</text></svg>`;
  const pixels = newResvg(probe, { font: FONTS }).render().pixels;
  let ink = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) ink++;
  if (ink === 0) {
    throw new MinimaError({ where: "svgToPng", what: "found no font to draw the charts' text with", expected: "a system font (Debian: apt-get install fonts-dejavu-core)" });
  }
  fontsChecked = true;
}
