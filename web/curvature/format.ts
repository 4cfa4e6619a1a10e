/** Numbers as minima's CLI prints them: 4 significant digits, exponents outside [1e-3, 1e5). */
export const num = (x: number) => (x === 0 ? "0" : !Number.isFinite(x) ? String(x) : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? Number(x.toPrecision(4)).toString() : x.toExponential(3));
export const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
/** A path's last segment (a run folder's name from the absolute path a slice.json or curvature.json records). */
export const folderName = (path: string) => path.split(/[\\/]/).filter((s) => s !== "").pop() ?? path;
