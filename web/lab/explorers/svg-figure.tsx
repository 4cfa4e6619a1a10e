/**
 * An SVG chart drawn by the report's code (mn.report.lineChart, contourPlot…), which returns markup: the
 * markup is minima's own, built from numbers, with every label escaped by the report's code.
 */
export function SvgFigure({ svg, class: className = "" }: { svg: string; class?: string }) {
  return <div class={`svg-figure ${className}`} dangerouslySetInnerHTML={{ __html: svg }} />;
}
