/**
 * Data-Access-Result and Action-Result (IEC 62056-5-3 / Green Book, xDLMS ASN.1), each an ENUMERATED of one
 * octet in A-XDR:
 *
 * ```asn1
 * Data-Access-Result ::= ENUMERATED {
 *   success                   (0),
 *   hardware-fault            (1),
 *   temporary-failure         (2),
 *   read-write-denied         (3),
 *   object-undefined          (4),
 *   object-class-inconsistent (9),
 *   object-unavailable        (11),
 *   type-unmatched            (12),
 *   scope-of-access-violated  (13),
 *   data-block-unavailable    (14),
 *   long-get-aborted          (15),
 *   no-long-get-in-progress   (16),
 *   long-set-aborted          (17),
 *   no-long-set-in-progress   (18),
 *   data-block-number-invalid (19),
 *   other-reason              (250)
 * }
 *
 * Action-Result ::= ENUMERATED {
 *   success                    (0),
 *   hardware-fault             (1),
 *   temporary-failure          (2),
 *   read-write-denied          (3),
 *   object-undefined           (4),
 *   object-class-inconsistent  (9),
 *   object-unavailable         (11),
 *   type-unmatched             (12),
 *   scope-of-access-violated   (13),
 *   data-block-unavailable     (14),
 *   long-action-aborted        (15),
 *   no-long-action-in-progress (16),
 *   other-reason               (250)
 * }
 * ```
 *
 * Values the standard does not name decode to their number (a meter may use a newer edition's value), so
 * every octet round-trips; names and numbers are both accepted by the encoders.
 *
 * @module
 */
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { invalid, show } from './common.ts';

/** Data-Access-Result names by value. */
export const DATA_ACCESS_RESULTS = Object.freeze({
  success: 0,
  'hardware-fault': 1,
  'temporary-failure': 2,
  'read-write-denied': 3,
  'object-undefined': 4,
  'object-class-inconsistent': 9,
  'object-unavailable': 11,
  'type-unmatched': 12,
  'scope-of-access-violated': 13,
  'data-block-unavailable': 14,
  'long-get-aborted': 15,
  'no-long-get-in-progress': 16,
  'long-set-aborted': 17,
  'no-long-set-in-progress': 18,
  'data-block-number-invalid': 19,
  'other-reason': 250,
} as const);

/** Action-Result names by value. */
export const ACTION_RESULTS = Object.freeze({
  success: 0,
  'hardware-fault': 1,
  'temporary-failure': 2,
  'read-write-denied': 3,
  'object-undefined': 4,
  'object-class-inconsistent': 9,
  'object-unavailable': 11,
  'type-unmatched': 12,
  'scope-of-access-violated': 13,
  'data-block-unavailable': 14,
  'long-action-aborted': 15,
  'no-long-action-in-progress': 16,
  'other-reason': 250,
} as const);

export type DataAccessResultName = keyof typeof DATA_ACCESS_RESULTS;
export type ActionResultName = keyof typeof ACTION_RESULTS;
/** A Data-Access-Result by name, or its number when the standard names no such value. */
export type DataAccessResult = DataAccessResultName | number;
/** An Action-Result by name, or its number when the standard names no such value. */
export type ActionResult = ActionResultName | number;

function inverse(table: Readonly<Record<string, number>>): readonly (string | undefined)[] {
  const t: (string | undefined)[] = new Array(256).fill(undefined);
  for (const [name, v] of Object.entries(table)) t[v] = name;
  return Object.freeze(t);
}

const DAR_NAMES = /* @__PURE__ */ inverse(DATA_ACCESS_RESULTS);
const AR_NAMES = /* @__PURE__ */ inverse(ACTION_RESULTS);

/** The Data-Access-Result of an octet: its name, or the number when unnamed. */
export function dataAccessResultFromNumber(v: number): DataAccessResult {
  return (DAR_NAMES[v] as DataAccessResultName | undefined) ?? v;
}

/** The octet of a Data-Access-Result given by name or number. */
export function dataAccessResultToNumber(x: DataAccessResult, field = 'result'): number {
  return enumToNumber(DATA_ACCESS_RESULTS, x, 'Data-Access-Result', field);
}

/** The Action-Result of an octet: its name, or the number when unnamed. */
export function actionResultFromNumber(v: number): ActionResult {
  return (AR_NAMES[v] as ActionResultName | undefined) ?? v;
}

/** The octet of an Action-Result given by name or number. */
export function actionResultToNumber(x: ActionResult, field = 'result'): number {
  return enumToNumber(ACTION_RESULTS, x, 'Action-Result', field);
}

function enumToNumber(
  table: Readonly<Record<string, number>>,
  x: unknown,
  what: string,
  field: string,
): number {
  if (typeof x === 'string') {
    const v = table[x];
    if (v === undefined || !Object.hasOwn(table, x)) invalid(`unknown ${what} ${JSON.stringify(x)}`, field);
    return v;
  }
  if (typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 255) return x;
  return invalid(`${what} must be a name or an integer 0..255, got ${show(x)}`, field);
}

export function readDataAccessResult(r: Reader): DataAccessResult {
  return dataAccessResultFromNumber(r.u8('data-access-result'));
}

export function writeDataAccessResult(w: Writer, x: DataAccessResult, field = 'result'): void {
  w.u8(dataAccessResultToNumber(x, field));
}

export function readActionResult(r: Reader): ActionResult {
  return actionResultFromNumber(r.u8('action-result'));
}

export function writeActionResult(w: Writer, x: ActionResult, field = 'result'): void {
  w.u8(actionResultToNumber(x, field));
}
