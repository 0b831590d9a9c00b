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
 * Nothing is silently dropped on input (`unknownElements`, default `preserve`, as `fromXml`): a property
 * the descriptors do not know is an element they do not know, kept in the parent's `$any` (see
 * {@link JsonReadOptions}); what has no XML meaning (`null`, nested arrays, a name that is not an XML
 * name, a malformed `$any` item) is refused with a typed `CimError`.
 *
 * @module
 */
import {
  type Edition,
  MESSAGE_KINDS,
  MESSAGE_TYPES,
  type Message,
  type MessageKind,
  messageNamespace,
} from '../envelope/index.ts';
import { CimError, withPath } from '../errors.ts';
import { profileByElement } from '../profiles/index.ts';
import type { AnyElement, ComplexType, ElementField, Identifier } from '../profiles/schema.ts';
import { ANY_KEY, ID_KINDS } from '../profiles/schema.ts';

/** How `fromJson` treats what the descriptors do not know; the same names and default as the XML reader. */
export interface JsonReadOptions {
  /**
   * Properties the descriptors do not know, and `$any` items. `preserve` (default): a property that is
   * not a field of its object is an element the descriptors do not know, named as the property and in the
   * namespace of its parent's children; it is kept in the parent's `$any`, converted by the JSON form's
   * rules read backwards (a string is the element's text, a number or boolean its JSON text, an object its
   * child elements, an array repeated elements). In Payload, Request and Operation, where properties name
   * profiles, a property naming no registered profile is refused with `UNKNOWN_NOUN`. `keep`: that one is
   * kept in `$any` too (in the parent's namespace: JSON does not carry the profile's). `skip`: unknown
   * properties and `$any` items are dropped (explicitly lossy; unknown profiles are still refused).
   */
  unknownElements?: 'preserve' | 'keep' | 'skip';
  /** Edition whose message namespace is given to unknown properties of envelope objects (default `ed1`). */
  edition?: Edition;
}

export interface JsonWriteOptions {
  /** Indentation passed to JSON.stringify (default none). */
  space?: number;
}

/** The JSON value of a message: `{ [kind]: body }`. */
export function toJsonValue(message: Message): Record<string, unknown> {
  const { kind, ...body } = message as Message & Record<string, unknown>;
  if (!MESSAGE_KINDS.includes(kind))
    throw new CimError('INVALID_ARGUMENT', `unknown message kind ${String(kind).slice(0, 40)}`);
  // Re-decoding our own value normalises key order and checks types, so toJson never emits what fromJson
  // refuses. A property that is not a field is refused (a model carries unknown elements in `$any`).
  const type = (MESSAGE_TYPES as Record<string, ComplexType>)[kind]!;
  try {
    return { [kind]: complex(body, type, { ns: messageNamespace('ed1'), mode: 'refuse' }) };
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
export function fromJson(text: string, options: JsonReadOptions & { maxLength?: number } = {}): Message {
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
  return fromJsonValue(value, options);
}

/** Decodes a JSON value `{ [kind]: body }` into the typed model, checking every type on the way. */
export function fromJsonValue(value: unknown, options: JsonReadOptions = {}): Message {
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
  const ctx: Ctx = { ns: messageNamespace(options.edition), mode: modeOf(options) };
  const body = withPath(kind, () => complex((value as Record<string, unknown>)[kind], type, ctx));
  return { kind, ...body } as Message;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `refuse` is the writer's mode: a model must not hold properties that are not fields. */
type Mode = 'preserve' | 'keep' | 'skip' | 'refuse';

interface Ctx {
  /** Namespace of the current object's child elements (given to unknown properties). */
  readonly ns: string;
  readonly mode: Mode;
}

function modeOf(options: JsonReadOptions): Mode {
  const m = options.unknownElements ?? 'preserve';
  if (m !== 'preserve' && m !== 'keep' && m !== 'skip')
    throw new CimError('INVALID_ARGUMENT', `unknownElements is preserve, keep or skip, not ${String(m)}`);
  return m;
}

const ID_KEYS = ['value', 'idType', 'idAuthority', 'kind', 'objectType'] as const;

function fromJsonField(f: ElementField, v: unknown, ctx: Ctx): unknown {
  switch (f.t) {
    case 'complex':
      return complex(v, f.type, f.childNs ? { ns: f.childNs.uri, mode: ctx.mode } : ctx);
    case 'id': {
      if (!isObj(v) || typeof v.value !== 'string')
        throw new CimError('INVALID_VALUE', 'an ID is {"value": string, …}');
      // An ID is simple content with the IDatts attributes: any other property has nowhere to go.
      for (const k of Object.keys(v)) {
        if (!(ID_KEYS as readonly string[]).includes(k)) {
          throw new CimError(
            'INVALID_VALUE',
            `an ID has only ${ID_KEYS.join(', ')}; "${k.slice(0, 40)}" is none of them`,
            { path: [k.slice(0, 60)] },
          );
        }
      }
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

/** An XML NCName (a local name: no colon), as the tokenizer accepts names. */
const NCNAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*$/;
const ANY_KEYS = ['ns', 'local', 'attrs', 'text', 'children'];

/** Checks a kept unknown element (`$any` item, see {@link AnyElement}) and copies it. */
function fromJsonAny(v: unknown, depth = 0): AnyElement {
  if (depth > MAX_ANY_DEPTH)
    throw new CimError('LIMIT_EXCEEDED', `$any nesting deeper than ${MAX_ANY_DEPTH}`);
  if (!isObj(v) || typeof v.ns !== 'string' || typeof v.local !== 'string') {
    throw new CimError('INVALID_VALUE', 'a $any item is {"ns": string, "local": string, …}');
  }
  for (const k of Object.keys(v)) {
    if (!ANY_KEYS.includes(k)) {
      throw new CimError(
        'INVALID_VALUE',
        `a $any item has only ${ANY_KEYS.join(', ')}, not "${k.slice(0, 40)}"`,
        {
          path: [k.slice(0, 60)],
        },
      );
    }
  }
  if (!NCNAME.test(v.local))
    throw new CimError('INVALID_VALUE', `$any local "${v.local.slice(0, 40)}" is not an XML name`, {
      path: ['local'],
    });
  const el: AnyElement = { ns: v.ns, local: v.local };
  if (v.attrs !== undefined) {
    if (!Array.isArray(v.attrs)) throw new CimError('INVALID_VALUE', '$any attrs must be an array');
    el.attrs = v.attrs.map((a, i) =>
      withPath('attrs', () =>
        withPath(i, () => {
          if (
            !isObj(a) ||
            typeof a.ns !== 'string' ||
            typeof a.local !== 'string' ||
            typeof a.value !== 'string' ||
            Object.keys(a).length !== 3
          )
            throw new CimError('INVALID_VALUE', 'a $any attribute is {"ns", "local", "value"}, all strings');
          if (!NCNAME.test(a.local))
            throw new CimError(
              'INVALID_VALUE',
              `attribute name "${a.local.slice(0, 40)}" is not an XML name`,
            );
          return { ns: a.ns, local: a.local, value: a.value };
        }),
      ),
    );
  }
  if (v.children !== undefined) {
    if (!Array.isArray(v.children)) throw new CimError('INVALID_VALUE', '$any children must be an array');
    el.children = v.children.map((c, i) => withPath(i, () => fromJsonAny(c, depth + 1)));
  }
  if (v.text !== undefined) {
    if (typeof v.text !== 'string') throw new CimError('INVALID_VALUE', '$any text must be a string');
    // The reader keeps text only for elements without children, and the writer writes one or the other.
    if (el.children !== undefined && el.children.length > 0)
      throw new CimError('INVALID_VALUE', 'a $any item has text or children, not both', { path: ['text'] });
    el.text = v.text;
  }
  return el;
}

/**
 * A property that is not a field, as the element(s) it stands for in namespace `ns`: the JSON form's
 * rules read backwards (string → text, number/boolean → its JSON text, object → child elements,
 * array → repeated elements).
 */
function propertyToAny(local: string, v: unknown, ns: string, out: AnyElement[], depth: number): void {
  if (!NCNAME.test(local)) {
    throw new CimError(
      'INVALID_VALUE',
      `property "${local.slice(0, 40)}" is neither a field nor an XML name`,
    );
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      withPath(i, () => {
        if (Array.isArray(item))
          throw new CimError(
            'INVALID_VALUE',
            'an array inside an array has no XML form (repeat the property)',
          );
        out.push(valueToAny(local, item, ns, depth));
      });
    }
    return;
  }
  out.push(valueToAny(local, v, ns, depth));
}

function valueToAny(local: string, v: unknown, ns: string, depth: number): AnyElement {
  if (depth > MAX_ANY_DEPTH)
    throw new CimError('LIMIT_EXCEEDED', `unknown properties nested deeper than ${MAX_ANY_DEPTH}`);
  const el: AnyElement = { ns, local };
  switch (typeof v) {
    case 'string':
      if (v !== '') el.text = v;
      return el;
    case 'number':
    case 'boolean':
      el.text = String(v);
      return el;
    case 'object': {
      if (v === null)
        throw new CimError('INVALID_VALUE', 'null has no XML form (an absent element is an absent property)');
      const children: AnyElement[] = [];
      for (const k of Object.keys(v)) {
        withPath(k.slice(0, 60), () =>
          propertyToAny(k, (v as Record<string, unknown>)[k], ns, children, depth + 1),
        );
      }
      if (children.length > 0) el.children = children;
      return el;
    }
    default:
      throw new CimError('INVALID_VALUE', `a ${typeof v} has no XML form`);
  }
}

function fieldOf(type: ComplexType, name: string): ElementField | undefined {
  for (const f of type.fields) if (f.t !== 'profiles' && f.n === name) return f;
  return undefined;
}

/**
 * Decodes a JSON object as `type`; returns a fresh object in schema key order, `$any` last. `namespace` is
 * the namespace of the object's child elements, given to unknown properties kept in `$any` (default `''`).
 */
export function fromJsonComplex(
  value: unknown,
  type: ComplexType,
  options: JsonReadOptions & { namespace?: string } = {},
): Record<string, unknown> {
  return complex(value, type, { ns: options.namespace ?? '', mode: modeOf(options) });
}

function complex(value: unknown, type: ComplexType, ctx: Ctx): Record<string, unknown> {
  if (!isObj(value)) throw new CimError('INVALID_VALUE', `${type.name} must be a JSON object`);
  const out: Record<string, unknown> = {};
  let slot: 'payload' | 'request' | undefined;
  let present = 0; // fields found: when every property is one, there is nothing else to look at
  for (const f of type.fields) {
    if (f.t === 'profiles') {
      slot = f.slot;
      for (const k of Object.keys(value)) {
        const p = profileByElement(k, f.slot);
        if (!p || fieldOf(type, k) !== undefined) continue;
        out[k] = withPath(k, () => complex(value[k], p.type, { ns: p.namespace, mode: ctx.mode }));
      }
      continue;
    }
    const v = value[f.n];
    if (v === undefined) {
      if (f.req) throw new CimError('MISSING_FIELD', `${type.name}.${f.n} is mandatory`, { path: [f.n] });
      continue;
    }
    present++;
    if (f.many) {
      if (!Array.isArray(v)) throw new CimError('INVALID_VALUE', `${f.n} must be an array`, { path: [f.n] });
      out[f.n] = withPath(f.n, () => v.map((item, i) => withPath(i, () => fromJsonField(f, item, ctx))));
    } else {
      out[f.n] = withPath(f.n, () => fromJsonField(f, v, ctx));
    }
  }
  const keys = Object.keys(value);
  if (slot === undefined && keys.length === present) return out;
  // What is not a field: `$any` items and unknown properties, kept in key (document) order.
  const any: AnyElement[] = [];
  for (const k of keys) {
    if (k === ANY_KEY) {
      const items = value[k];
      if (!Array.isArray(items))
        throw new CimError('INVALID_VALUE', `${ANY_KEY} must be an array`, { path: [ANY_KEY] });
      const read = withPath(ANY_KEY, () => items.map((item, i) => withPath(i, () => fromJsonAny(item))));
      if (ctx.mode !== 'skip') for (const el of read) any.push(el);
      continue;
    }
    if (fieldOf(type, k) !== undefined || (slot !== undefined && profileByElement(k, slot) !== undefined))
      continue;
    const v = value[k];
    if (v === undefined) continue; // not JSON: only a model built in code has it, and it means absent
    const name = k.slice(0, 60);
    if (ctx.mode === 'refuse') {
      throw new CimError(
        'INVALID_VALUE',
        `"${name}" is not a field of ${type.name} (unknown elements go in ${ANY_KEY})`,
        { path: [name] },
      );
    }
    if (slot !== undefined && ctx.mode !== 'keep') {
      throw new CimError('UNKNOWN_NOUN', `"${name}" is not a registered profile in ${type.name}`, {
        path: [name],
      });
    }
    if (ctx.mode === 'skip') continue;
    withPath(name, () => propertyToAny(k, v, ctx.ns, any, 0));
  }
  // An empty `$any` means the same as none (XML cannot tell them apart).
  if (any.length > 0) out[ANY_KEY] = any;
  return out;
}
