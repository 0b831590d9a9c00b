/**
 * A JSON-safe form of typed attribute values, for logs, the CLI and conformance vectors: logical names
 * become dotted OBIS text, byte arrays upper-case hex, bigints decimal strings, "not specified" date-time
 * fields `null`, and embedded `Data` values their {@link dataToJson} form.
 *
 * @module
 */
import { dataToJson } from '../axdr/json.ts';
import { DATA_TAGS, type Data } from '../axdr/types.ts';
import { toHex } from '../internal/hex.ts';
import { formatObis, isObis } from '../obis/index.ts';

function isData(v: object): v is Data {
  const t = (v as { type?: unknown }).type;
  return typeof t === 'string' && Object.hasOwn(DATA_TAGS, t);
}

/** The JSON form of a typed attribute value (see the module doc). */
export function cosemValueToJson(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return toHex(v).toUpperCase();
  if (isObis(v)) return formatObis(v);
  if (Array.isArray(v)) return v.map(cosemValueToJson);
  if (isData(v)) return dataToJson(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = cosemValueToJson(x);
  return out;
}
