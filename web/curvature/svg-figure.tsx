/**
 * An SVG chart drawn by minima's report code (mn.report.*): the same figure the CLI writes beside its JSON. The
 * markup is the report's own, which escapes every text it draws.
 */
export function SvgFigure({ svg }: { svg: string }) {
  return <div class="svg-figure" dangerouslySetInnerHTML={{ __html: svg }} />;
}
