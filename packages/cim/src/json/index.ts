/**
 * IEC 61968-100 messages as JSON.
 *
 * 61968-100 Ed.2 leaves JSON to IEC 62361-104 (CIM profiles to JSON schema), which is not public in full.
 * We follow the conventions its public drafts (CIMTool's JSON-schema builders) and field practice use, and
 * document them in `docs/cim-json.md`:
 *
 * - the document is one object whose single key is the root element name:
 *   `{"RequestMessage": {"Header": {…}, "Request": {…}, "Payload": {"MeterReadings": {…}}}}`;
 * - property names are the XML element names, unchanged (no prefixes, no namespaces: the profile is known
 *   by its root element name, e.g. `MeterReadings`);
 * - repeating elements are arrays, always (even with one item); absent optional elements are omitted
 *   (never `null`);
 * - `xs:boolean` → JSON boolean, `xs:integer` → JSON number, everything else (strings, `xs:dateTime`,
 *   `xs:float` readings, enumerations) → JSON string in its XML lexical form, so nothing is lost;
 * - a reference element (`<ReadingType ref="0.0.0.1…"/>`) → the referenced mRID string;
 * - an `ID` element → `{"value": "…", "idType"?: …, "idAuthority"?: …, "kind"?: …, "objectType"?: …}`.
 *
 * The JSON is the typed model itself (minus `kind`), so `fromJson(toJson(m))` deep-equals `m`.
 *
 * @module
 */
import { MESSAGE_KINDS, MESSAGE_TYPES, type Message, type MessageKind } from '../envelope/index.ts';
import { CimError, withPath } from '../errors.ts';
import { profileByElement } from '../profiles/index.ts';
import type { AnyElement, ComplexType, ElementField, Identifier } from '../profiles/schema.ts';
import { ANY_KEY, ID_KINDS } from '../profiles/schema.ts';

export interface JsonWriteOptions {
  /** Indentation passed to JSON.stringify (default none). */
  space?: number;
}

/** The JSON value of a message: `{ [kind]: body }`. */
export function toJsonValue(message: Message): Record<string, unknown> {
  const { kind, ...body } = message as Message & Record<string, unknown>;
  if (!MESSAGE_KINDS.includes(kind))
    throw new CimError('INVALID_ARGUMENT', `unknown message kind ${String(kind).slice(0, 40)}`);
  // Re-decoding our own value normalises key order and checks types, so toJson never emits what fromJson refuses.
  const type = (MESSAGE_TYPES as Record<string, ComplexType>)[kind]!;
  try {
    return { [kind]: fromJsonComplex(body, type) };
  } catch (e) {
    if (e instanceof CimError && e.code !== 'INVALID_ARGUMENT') {
      throw new CimError('INVALID_ARGUMENT', `message cannot be written: ${e.message}`, {
        path: e.path,
        cause: e,
      });
    }
    throw e;
  }
}

export function toJson(message: Message, options: JsonWriteOptions = {}): string {
  return JSON.stringify(toJsonValue(message), null, options.space);
}

/** Parses JSON text (MALFORMED_JSON on bad syntax) and decodes it. */
export function fromJson(text: string, options: { maxLength?: number } = {}): Message {
  if (typeof text !== 'string') throw new CimError('INVALID_ARGUMENT', 'fromJson expects a string');
  const max = options.maxLength ?? 64 * 1024 * 1024;
  if (text.length > max) throw new CimError('LIMIT_EXCEEDED', `JSON text over ${max} characters`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CimError('MALFORMED_JSON', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  return fromJsonValue(value);
}

/** Decodes a JSON value `{ [kind]: body }` into the typed model, checking every type on the way. */
export function fromJsonValue(value: unknown): Message {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CimError('INVALID_VALUE', 'a message is a JSON object with one key, the root element name');
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    throw new CimError(
      'INVALID_VALUE',
      `a message object has exactly one key (the root element name), got ${keys.length}`,
    );
  }
  const kind = keys[0] as MessageKind;
  const type = (MESSAGE_TYPES as Record<string, ComplexType>)[kind];
  if (!type) throw new CimError('INVALID_VALUE', `unknown message kind ${kind.slice(0, 40)}`);
  const body = withPath(kind, () => fromJsonComplex((value as Record<string, unknown>)[kind], type));
  return { kind, ...body } as Message;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fromJsonField(f: ElementField, v: unknown): unknown {
  switch (f.t) {
    case 'complex':
      return fromJsonComplex(v, f.type);
    case 'id': {
      if (!isObj(v) || typeof v.value !== 'string')
        throw new CimError('INVALID_VALUE', 'an ID is {"value": string, …}');
      const id: Identifier = { value: v.value };
      for (const k of ['idType', 'idAuthority', 'kind', 'objectType'] as const) {
        const a = v[k];
        if (a === undefined) continue;
        if (typeof a !== 'string')
          throw new CimError('INVALID_VALUE', `ID.${k} must be a string`, { path: [k] });
        if (k === 'kind' && !(ID_KINDS as readonly string[]).includes(a)) {
          throw new CimError(
            'INVALID_VALUE',
            `ID kind "${a.slice(0, 40)}" is not one of ${ID_KINDS.join(', ')}`,
            { path: [k] },
          );
        }
        (id as unknown as Record<string, string>)[k] = a;
      }
      return id;
    }
    case 'boolean':
      if (typeof v !== 'boolean') throw new CimError('INVALID_VALUE', `expected a boolean, got ${typeof v}`);
      return v;
    case 'integer':
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        throw new CimError('INVALID_VALUE', 'expected a safe integer');
      return v;
    default:
      if (typeof v !== 'string') throw new CimError('INVALID_VALUE', `expected a string, got ${typeof v}`);
      if (f.t !== 'ref' && f.enum && !f.enum.includes(v)) {
        throw new CimError(
          f.enumCode ?? 'INVALID_VALUE',
          `"${v.slice(0, 40)}" is not one of ${f.enum.join(', ')}`,
        );
      }
      return v;
  }
}

const MAX_ANY_DEPTH = 64;

/** Checks a kept unknown element (`$any` item, see {@link AnyElement}) and copies it. */
function fromJsonAny(v: unknown, depth = 0): AnyElement {
  if (depth > MAX_ANY_DEPTH)
    throw new CimError('LIMIT_EXCEEDED', `$any nesting deeper than ${MAX_ANY_DEPTH}`);
  if (!isObj(v) || typeof v.ns !== 'string' || typeof v.local !== 'string' || v.local === '') {
    throw new CimError('INVALID_VALUE', 'a $any item is {"ns": string, "local": string, …}');
  }
  const el: AnyElement = { ns: v.ns, local: v.local };
  if (v.attrs !== undefined) {
    if (!Array.isArray(v.attrs)) throw new CimError('INVALID_VALUE', '$any attrs must be an array');
    el.attrs = v.attrs.map((a) => {
      if (!isObj(a) || typeof a.ns !== 'string' || typeof a.local !== 'string' || typeof a.value !== 'string')
        throw new CimError('INVALID_VALUE', 'a $any attribute is {"ns", "local", "value"} strings');
      return { ns: a.ns, local: a.local, value: a.value };
    });
  }
  if (v.children !== undefined) {
    if (!Array.isArray(v.children)) throw new CimError('INVALID_VALUE', '$any children must be an array');
    el.children = v.children.map((c, i) => withPath(i, () => fromJsonAny(c, depth + 1)));
  }
  if (v.text !== undefined) {
    if (typeof v.text !== 'string') throw new CimError('INVALID_VALUE', '$any text must be a string');
    el.text = v.text;
  }
  return el;
}

/** Decodes a JSON object as `type`; returns a fresh object in schema key order. */
export function fromJsonComplex(value: unknown, type: ComplexType): Record<string, unknown> {
  if (!isObj(value)) throw new CimError('INVALID_VALUE', `${type.name} must be a JSON object`);
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    if (f.t === 'profiles') {
      for (const k of Object.keys(value)) {
        const p = profileByElement(k, f.slot);
        if (!p) continue;
        out[k] = withPath(k, () => fromJsonComplex(value[k], p.type));
      }
      continue;
    }
    const v = value[f.n];
    if (v === undefined) {
      if (f.req) throw new CimError('MISSING_FIELD', `${type.name}.${f.n} is mandatory`, { path: [f.n] });
      continue;
    }
    if (f.many) {
      if (!Array.isArray(v)) throw new CimError('INVALID_VALUE', `${f.n} must be an array`, { path: [f.n] });
      out[f.n] = withPath(f.n, () => v.map((item, i) => withPath(i, () => fromJsonField(f, item))));
    } else {
      out[f.n] = withPath(f.n, () => fromJsonField(f, v));
    }
  }
  const any = value[ANY_KEY];
  if (any !== undefined) {
    if (!Array.isArray(any))
      throw new CimError('INVALID_VALUE', `${ANY_KEY} must be an array`, { path: [ANY_KEY] });
    out[ANY_KEY] = withPath(ANY_KEY, () => any.map((item, i) => withPath(i, () => fromJsonAny(item))));
  }
  return out;
}
