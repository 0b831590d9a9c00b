/**
 * The JSON form of every xDLMS APDU model, stable for the CLI (`ami dlms decode` prints it, `ami dlms encode`
 * takes it back to the same bytes), logs and conformance vectors.
 *
 * The models are plain objects already; only four kinds of field are not JSON-safe, and they are converted
 * by field name:
 *
 * | field | model | JSON |
 * |---|---|---|
 * | `value` (set), `notificationBody`, `attributeValue`, `accessParameters`, `data`, `parameters`, `values`, `fromValue`, `toValue`, `accessRequestListOfData`, `accessResponseListOfData` | {@link Data} (or Data[]) | {@link dataToJson} form |
 * | `rawData`, `blockData` | `Uint8Array` | upper-case hex |
 * | `instanceId`, `logicalName` | {@link Obis} | dotted `A.B.C.D.E.F` |
 * | `dateTime`, `time` | {@link CosemDateTime} | {@link cosemDateTimeToJson} fields |
 *
 * Every other field (names of enumerations, numbers, booleans, the hex strings of the association APDUs) is
 * the same in both forms.
 *
 * @module
 */
import type { CosemDateTime } from '../axdr/datetime.ts';
import { cosemDateTimeFromJson, cosemDateTimeToJson, dataFromJson, dataToJson } from '../axdr/json.ts';
import type { Data } from '../axdr/types.ts';
import { DlmsError, withPath } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { formatObis, type Obis, parseObis } from '../obis/index.ts';

const DATA_KEYS = new Set([
  'value',
  'notificationBody',
  'attributeValue',
  'accessParameters',
  'data',
  'parameters',
  'values',
  'fromValue',
  'toValue',
  'accessRequestListOfData',
  'accessResponseListOfData',
]);
const BYTES_KEYS = new Set(['rawData', 'blockData']);
const OBIS_KEYS = new Set(['instanceId', 'logicalName']);
const DATETIME_KEYS = new Set(['dateTime', 'time']);

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function toJsonField(key: string, v: unknown): Json {
  if (DATA_KEYS.has(key)) {
    if (Array.isArray(v)) return v.map((d) => dataToJson(d as Data) as Json);
    return dataToJson(v as Data) as Json;
  }
  if (BYTES_KEYS.has(key)) return toHex(v as Uint8Array);
  if (OBIS_KEYS.has(key)) return formatObis(v as Obis);
  if (DATETIME_KEYS.has(key)) return cosemDateTimeToJson(v as CosemDateTime) as unknown as Json;
  return toJsonValue(v);
}

function toJsonValue(v: unknown): Json {
  if (v === null || typeof v !== 'object') return v as Json;
  if (Array.isArray(v)) return v.map(toJsonValue);
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonField(k, x);
  return out;
}

function fromJsonField(key: string, v: unknown): unknown {
  if (DATA_KEYS.has(key)) {
    if (Array.isArray(v)) return v.map((d, i) => withPath(i, () => dataFromJson(d)));
    return dataFromJson(v);
  }
  if (BYTES_KEYS.has(key)) {
    if (typeof v !== 'string') throw new DlmsError('INVALID_ARGUMENT', `${key} must be a hex string`);
    return fromHex(v);
  }
  if (OBIS_KEYS.has(key)) {
    if (typeof v !== 'string') throw new DlmsError('INVALID_ARGUMENT', `${key} must be an OBIS code string`);
    return parseObis(v);
  }
  if (DATETIME_KEYS.has(key)) return cosemDateTimeFromJson(v);
  return fromJsonValue(v);
}

function fromJsonValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x, i) => withPath(i, () => fromJsonValue(x)));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || x === null) continue;
    out[k] = withPath(k, () => fromJsonField(k, x));
  }
  return out;
}

/** The JSON form of an APDU model (see the module doc). */
export function apduToJsonValue(apdu: unknown): Json {
  return toJsonValue(apdu);
}

/** The APDU model of a JSON form; values are checked when the model is encoded. */
export function apduFromJsonValue(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DlmsError('INVALID_ARGUMENT', 'an APDU in JSON form is an object with a "type"');
  }
  return fromJsonValue(json);
}
