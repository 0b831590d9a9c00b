/**
 * What the behavioural classes (Limiter, Register monitor, Script table, Single action schedule, Activity
 * calendar, Push setup) do with the registry: read another object's attribute as the meter itself (no
 * access rights: the application, not a client, is reading), run a script through its Script table, and
 * compare simple values.
 *
 * @module
 */
import { decodeData, encodeData } from '../axdr/codec.ts';
import type { Data } from '../axdr/types.ts';
import { formatObis } from '../obis/index.ts';
import type { Codec } from './codec.ts';
import type { ActionItem, ValueDefinition } from './common.ts';
import type { CosemContext, CosemObjectLookup } from './object.ts';
import { actionError } from './results.ts';

/** The class_id of Script table. */
export const SCRIPT_TABLE_CLASS_ID = 9;

/**
 * The value of `class_id/logical_name/attribute_index` read from `ctx.objects`, or undefined when there is
 * no such object or it refuses (a monitored value that cannot be read is "no value", not an error).
 */
export function readValueDefinition(def: ValueDefinition, ctx: CosemContext): Data | undefined {
  const o = ctx.objects?.find(def.classId, def.logicalName);
  if (!o) return undefined;
  try {
    return o.get(def.attributeIndex, ctx);
  } catch {
    return undefined;
  }
}

/**
 * Runs the script `scriptSelector` of the Script table `scriptLogicalName` through the registry (method 1
 * `execute`, as the meter: no access check). A missing Script table is `other-reason`; the table's own
 * refusal propagates. A logical name of all zeros means "no action" and does nothing.
 */
export function executeActionItem(item: ActionItem, ctx: CosemContext): void {
  const ln = item.scriptLogicalName;
  if (ln.a === 0 && ln.b === 0 && ln.c === 0 && ln.d === 0 && ln.e === 0 && ln.f === 0) return;
  const table = ctx.objects?.find(SCRIPT_TABLE_CLASS_ID, ln);
  if (!table) throw actionError('other-reason', `no Script table ${formatObis(ln)}`);
  table.action(1, { type: 'long-unsigned', value: item.scriptSelector }, ctx);
}

/** The numeric value of a simple Data (numbers, enums, bigints), or undefined for anything else. */
export function numericValue(d: Data | undefined): number | bigint | undefined {
  if (d === undefined) return undefined;
  switch (d.type) {
    case 'double-long':
    case 'double-long-unsigned':
    case 'integer':
    case 'long':
    case 'unsigned':
    case 'long-unsigned':
    case 'enum':
    case 'float32':
    case 'float64':
    case 'long64':
    case 'long64-unsigned':
    case 'bcd':
      return d.value;
    default:
      return undefined;
  }
}

/** Compares two simple numeric Data values: −1, 0, 1, or undefined when either is not a number. */
export function compareValues(a: Data | undefined, b: Data | undefined): -1 | 0 | 1 | undefined {
  const x = numericValue(a);
  const y = numericValue(b);
  if (x === undefined || y === undefined) return undefined;
  if (typeof x === 'number' && Number.isNaN(x)) return undefined;
  if (typeof y === 'number' && Number.isNaN(y)) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A deep copy of a typed value, made by encoding it to A-XDR and decoding it back with its codec. */
export function copyVia<T>(codec: Codec<T>, v: T): T {
  return codec.decode(decodeData(encodeData(codec.encode(v))));
}

/** An object with time-driven behaviour (Limiter, Register monitor, Single action schedule, Activity calendar). */
export interface TimeDriven {
  tick(ctx: CosemContext): unknown;
}

export function isTimeDriven(o: unknown): o is TimeDriven {
  return typeof o === 'object' && o !== null && typeof (o as { tick?: unknown }).tick === 'function';
}

/**
 * Ticks every time-driven object of a registry at `ctx.now()`, in registry order (a server calls this
 * periodically, e.g. every second or on each clock minute). `ctx.objects` defaults to `objects`. Returns
 * how many objects were ticked.
 */
export function tickAll(objects: CosemObjectLookup, ctx: CosemContext): number {
  const c = ctx.objects ? ctx : { ...ctx, objects };
  let n = 0;
  for (const o of objects) {
    if (isTimeDriven(o)) {
      o.tick(c);
      n++;
    }
  }
  return n;
}
