/**
 * A read-only enumeration table: value ↔ name ↔ label. Every CIM code enumeration in this module is one of these,
 * built once from a plain `as const` object (no module-level mutable state; the maps are never written after
 * construction).
 *
 * @module
 */
import { CimError } from '../errors.ts';

/** One row of a {@link CodeTable}. */
export interface CodeEntry<N extends string = string> {
  /** The numeric code. */
  readonly value: number;
  /** The standard's name (identifier-safe). */
  readonly name: N;
  /** A short human label (may be empty for "none", meaning "say nothing"). */
  readonly label: string;
}

/** Lookups over one enumeration. Unknown values are not errors here: callers decide what to do with them. */
export interface CodeTable<N extends string = string> {
  /** The field or enumeration name, e.g. `unit`. */
  readonly title: string;
  /** Every row, in ascending value order. */
  readonly entries: readonly CodeEntry<N>[];
  /** The row for `value`, or undefined when the value is not in the table. */
  entry(value: number): CodeEntry<N> | undefined;
  /** The name for `value`, or undefined. */
  name(value: number): N | undefined;
  /** The value for a name (exact, case-sensitive), or undefined. */
  value(name: string): number | undefined;
  /** True when the value is in the table. */
  has(value: number): boolean;
}

/** Splits a camelCase name into lower-case words: `bulkQuantity` → `bulk quantity`. */
export function camelWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * Builds a {@link CodeTable} from a `{ name: value }` object. `labels` overrides the default label (the name's
 * words); values must be unique.
 */
export function codeTable<const T extends Readonly<Record<string, number>>>(
  title: string,
  values: T,
  labels: Partial<Record<keyof T & string, string>> = {},
): CodeTable<keyof T & string> {
  type N = keyof T & string;
  const byValue = new Map<number, CodeEntry<N>>();
  const byName = new Map<string, number>();
  for (const name of Object.keys(values) as N[]) {
    const value = values[name] as number;
    if (byValue.has(value)) {
      throw new CimError('INVALID_ARGUMENT', `codeTable ${title}: duplicate value ${value}`, {
        path: [name],
      });
    }
    const label = labels[name] ?? camelWords(name);
    byValue.set(value, Object.freeze({ value, name, label }));
    byName.set(name, value);
  }
  const entries = Object.freeze([...byValue.values()].sort((a, b) => a.value - b.value));
  return Object.freeze({
    title,
    entries,
    entry: (value: number) => byValue.get(value),
    name: (value: number) => byValue.get(value)?.name,
    value: (name: string) => byName.get(name),
    has: (value: number) => byValue.has(value),
  });
}
