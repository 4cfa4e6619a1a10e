import { StorageError } from "../../errors.js";

/**
 * Floats and datetimes as Optuna's RDB models store them (storages/_rdb/models.py): a value column
 * beside a type column, because SQL floats hold no infinity (and SQLite turns NaN into NULL).
 */
export type ValueType = "FINITE" | "INF_POS" | "INF_NEG" | "NAN";

/** TrialValueModel.value_to_stored_repr; NaN has no type there (Optuna fails a NaN objective), so it is refused. */
export function storedValue(value: number, where: string): [number | null, ValueType] {
  if (Number.isNaN(value)) throw new StorageError({ where, what: "Optuna's RDB schema stores no NaN objective value (Optuna fails such a trial)", expected: "a number or ±Infinity", got: "NaN" });
  return storedIntermediate(value);
}

/** TrialIntermediateValueModel.intermediate_value_to_stored_repr: NaN and ±inf by type, value NULL. */
export function storedIntermediate(value: number): [number | null, ValueType] {
  if (Number.isNaN(value)) return [null, "NAN"];
  if (value === Infinity) return [null, "INF_POS"];
  if (value === -Infinity) return [null, "INF_NEG"];
  return [value, "FINITE"];
}

export function valueFromStored(value: unknown, type: unknown, where: string): number {
  switch (type) {
    case "FINITE":
      if (value === null || value === undefined) throw new StorageError({ where, what: "a FINITE value is NULL" });
      return Number(value);
    case "INF_POS":
      return Infinity;
    case "INF_NEG":
      return -Infinity;
    case "NAN":
      return NaN;
    default:
      throw new StorageError({ where, what: "unknown value type", expected: "FINITE, INF_POS, INF_NEG or NAN", got: JSON.stringify(type) });
  }
}

/**
 * A trial datetime as Optuna 3.1 writes it (datetime.now(): naive local time) in SQLAlchemy's SQLite
 * form "2026-12-05 06:01:30.123000"; PostgreSQL reads the same text into a timestamp.
 */
export function sqlDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}

/** Reads a naive datetime (text from SQLite, a Date from PostgreSQL) as local time. */
export function parseSqlDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(String(v));
  if (m === null) return new Date(String(v));
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
}
