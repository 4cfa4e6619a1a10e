import { OptionError } from "../errors.js";
import { closest } from "../options.js";
import { categorical, float, int, type CategoricalChoice, type Distribution } from "./distributions.js";

/**
 * A search space written on one line, as `minima tune --space` takes it:
 *
 *   lr=float(1e-4, 1, log); momentum=float(0.5, 0.99); layers=int(1, 4); hidden=categorical(128, 256, 512)
 *
 * Entries are `name=kind(arguments)` separated by ";". float and int take low, high, then `log` and/or
 * `step=<s>` (Optuna's suggest_float/suggest_int); categorical takes its choices: numbers, true, false,
 * null, or words (quoted with " or ' when they hold a comma, a parenthesis or a space). A mistake is
 * refused naming the character where it is (1-based) and what was expected there.
 */
export function parseSpace(text: string, where = "--space"): Record<string, Distribution> {
  return new SpaceParser(text, where).parse();
}

/** The space as parseSpace reads it back: `lr=float(0.0001, 1, log); hidden=categorical(128, 256)`. */
export function formatSpace(space: Readonly<Record<string, Distribution>>): string {
  return Object.entries(space).map(([name, d]) => `${name}=${describeSpaceEntry(d)}`).join("; ");
}

function describeSpaceEntry(d: Distribution): string {
  if (d.kind === "categorical") return `categorical(${d.choices.map((c) => (typeof c === "string" ? JSON.stringify(c) : String(c))).join(", ")})`;
  const step = d.kind === "float" ? d.step : d.step === 1 ? null : d.step;
  return `${d.kind}(${[String(d.low), String(d.high), ...(d.log ? ["log"] : []), ...(step !== null ? [`step=${step}`] : [])].join(", ")})`;
}

const KINDS = ["float", "int", "categorical"] as const;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[^\s,;()"'=]+/y;

class SpaceParser {
  private at = 0;

  constructor(private readonly text: string, private readonly where: string) {}

  parse(): Record<string, Distribution> {
    const space: Record<string, Distribution> = {};
    const namedAt = new Map<string, number>();
    this.skip();
    if (this.at === this.text.length) this.fail("the space is empty", "one or more entries like lr=float(1e-4, 1, log)");
    while (this.at < this.text.length) {
      const start = this.at;
      const name = this.name();
      if (namedAt.has(name)) this.fail(`"${name}" is given twice (first at character ${namedAt.get(name)! + 1})`, "each parameter once", start);
      namedAt.set(name, start);
      this.expect("=", `"=" after the name ${name}`);
      space[name] = this.distribution(name);
      this.skip();
      if (this.at === this.text.length) break;
      this.expect(";", `";" between entries`);
      this.skip();
    }
    return space;
  }

  private distribution(name: string): Distribution {
    this.skip();
    const kindAt = this.at;
    const kind = this.match(NAME);
    if (kind === null || !(KINDS as readonly string[]).includes(kind)) {
      const hint = kind === null ? null : closest(kind, KINDS);
      this.fail(kind === null ? `${name} needs a distribution` : `unknown distribution "${kind}"${hint ? ` (did you mean "${hint}"?)` : ""}`, "float(low, high), int(low, high) or categorical(a, b, …)", kindAt);
    }
    const usage = kind === "categorical" ? "categorical(a, b, …)" : `${kind}(low, high[, log][, step=s])`;
    this.expect("(", `"(" after ${kind}: ${usage}`);
    if (kind === "categorical") return this.categorical(name);
    const low = this.number(`${name}'s low bound`, usage);
    this.expect(",", `"," after ${name}'s low bound: ${usage}`);
    const high = this.number(`${name}'s high bound`, usage);
    let log = false;
    let step: number | null = null;
    for (;;) {
      this.skip();
      if (this.peek(")")) break;
      this.expect(",", `"," or ")": ${usage}`);
      this.skip();
      const flagAt = this.at;
      const flag = this.match(NAME);
      if (flag === "log" && !log) log = true;
      else if (flag === "step" && step === null) {
        this.expect("=", `"=" after step: step=s`);
        step = this.number(`${name}'s step`, usage);
      } else if (flag === "log" || flag === "step") this.fail(`${flag} is given twice`, usage, flagAt);
      else this.fail(flag === null ? `a setting is missing` : `unknown setting "${flag}"`, `log or step=s: ${usage}`, flagAt);
    }
    this.expect(")", `")"`);
    try {
      return kind === "float" ? float(low, high, { log, step }) : int(low, high, { log, ...(step === null ? {} : { step }) });
    } catch (e) {
      // The range's own check (low ≤ high, log needs low > 0, …), placed at the entry.
      if (!(e instanceof OptionError)) throw e;
      const facts = e.expected === undefined ? "" : `; expected ${e.expected}${e.got === undefined ? "" : `, got ${e.got}`}`;
      return this.fail(`${name}: ${e.what}${facts}`, undefined, kindAt, false);
    }
  }

  private categorical(name: string): Distribution {
    const choices: CategoricalChoice[] = [];
    for (;;) {
      this.skip();
      const choiceAt = this.at;
      const choice = this.choice(name);
      if (choices.some((c) => c === choice)) this.fail(`${name} lists the choice ${JSON.stringify(choice)} twice`, "each choice once", choiceAt);
      choices.push(choice);
      this.skip();
      if (this.peek(")")) break;
      this.expect(",", `"," or ")" after a choice of ${name}`);
    }
    this.expect(")", `")"`);
    return categorical(choices);
  }

  private choice(name: string): CategoricalChoice {
    const quote = this.text[this.at];
    if (quote === '"' || quote === "'") {
      const end = this.text.indexOf(quote, this.at + 1);
      if (end < 0) this.fail(`the quoted choice of ${name} is not closed`, `a closing ${quote}`);
      const s = this.text.slice(this.at + 1, end);
      this.at = end + 1;
      return s;
    }
    const start = this.at;
    const word = this.match(WORD);
    if (word === null) this.fail(`a choice of ${name} is missing`, "a number, true, false, null or a word");
    if (word === "true" || word === "false") return word === "true";
    if (word === "null") return null;
    NUMBER.lastIndex = 0;
    const n = NUMBER.exec(word);
    if (n !== null && n[0] === word) return Number(word);
    this.at = start + word.length;
    return word;
  }

  private name(): string {
    const start = this.at;
    const name = this.match(NAME);
    if (name === null) this.fail("a parameter name is missing", "a name like lr or weightDecay (letters, digits, _), then =", start);
    return name;
  }

  private number(what: string, usage: string): number {
    this.skip();
    const start = this.at;
    const text = this.match(NUMBER);
    if (text === null) this.fail(`${what} is not a number`, `a number like 1e-4 or 0.5: ${usage}`, start);
    return Number(text);
  }

  private match(re: RegExp): string | null {
    re.lastIndex = this.at;
    const m = re.exec(this.text);
    if (m === null || m[0] === "") return null;
    this.at += m[0].length;
    return m[0];
  }

  private peek(s: string): boolean {
    return this.text.startsWith(s, this.at);
  }

  private expect(s: string, expected: string): void {
    this.skip();
    if (!this.peek(s)) this.fail(`expected ${expected}`);
    this.at += s.length;
  }

  private skip(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  /** Throws an OptionError placed at character `at` (1-based in the message), quoting what stands there. */
  private fail(what: string, expected?: string, at = this.at, quote = true): never {
    const rest = this.text.slice(at);
    const got = rest === "" ? "the end of the text" : `"${rest.length > 24 ? `${rest.slice(0, 24)}…` : rest}"`;
    throw new OptionError({
      where: this.where,
      what: `at character ${at + 1}: ${what}`,
      ...(expected === undefined ? {} : { expected }),
      ...(quote ? { got } : {}),
    });
  }
}
