/**
 * Descriptor-driven XML writing. The emitter walks the model in schema order and drives a {@link XmlSink}:
 * {@link StringSink} (fast, exact escaping, used by `toXml` and the streaming writer) or `BuilderSink` of
 * `@ami-interop/cim/xml-builder` (xmlbuilder2, for callers who want a DOM to post-process, e.g. to sign).
 * Both produce the same text for the same model; a test checks it.
 *
 * Namespaces: the envelope is written in the edition's message namespace with prefix `msg` (or as the
 * default namespace with `messagePrefix: ''`), each profile root declares its own namespace with prefix `m`
 * (`profilePrefix`), e.g. `<m:MeterReadings xmlns:m="http://iec.ch/TC57/2011/MeterReadings#">`.
 *
 * @module
 */
import { type Edition, MESSAGE_TYPES, type Message, messageNamespace } from '../envelope/index.ts';
import { CimError, withPath } from '../errors.ts';
import { PROFILES, type ProfileDef } from '../profiles/index.ts';
import type { AnyElement, ComplexType, ElementField, Identifier } from '../profiles/schema.ts';
import { ANY_KEY } from '../profiles/schema.ts';
import { assertXmlChars, escapeAttr, escapeText } from './text.ts';

export interface XmlWriteOptions {
  /** Envelope edition (namespace); default `ed1`. */
  edition?: Edition;
  /** Prefix of the message namespace; `''` writes it as the default namespace. Default `msg`. */
  messagePrefix?: string;
  /** Prefix of each profile's namespace (declared on the profile root). Default `m`. */
  profilePrefix?: string;
  /** Indent with two spaces, one element per line. Default false. */
  pretty?: boolean;
  /** Write `<?xml version="1.0" encoding="UTF-8"?>`. Default true. */
  declaration?: boolean;
}

export type XmlAttrs = readonly (readonly [string, string])[];

/** What the emitter drives. `ns` is the element's namespace URI, `qname` its prefixed name. */
export interface XmlSink {
  open(ns: string, qname: string, attrs: XmlAttrs): void;
  leaf(ns: string, qname: string, text: string, attrs: XmlAttrs): void;
  close(qname: string): void;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Writes text directly, with our escaping; `take()` returns what was written since the last call. */
export class StringSink implements XmlSink {
  private out = '';
  private depth: number;
  private readonly pretty: boolean;
  private started = false;

  constructor(pretty = false, depth = 0, declaration = false) {
    this.pretty = pretty;
    this.depth = depth;
    if (declaration) {
      this.out = XML_DECLARATION;
      this.started = true;
    }
  }

  /** True while the last start tag is still open (`<q a="…"` without `>`), so an empty element becomes `<q/>`. */
  private pending = false;
  /** Where the pending start tag begins in `out` (kept back by `take()`). */
  private pendingAt = 0;

  private indent(): void {
    if (this.pending) {
      this.out += '>';
      this.pending = false;
    }
    if (!this.pretty) return;
    if (this.started) this.out += '\n';
    this.out += '  '.repeat(this.depth);
    this.started = true;
  }

  private static attrs(attrs: XmlAttrs): string {
    let s = '';
    for (const [n, v] of attrs) s += ` ${n}="${escapeAttr(v)}"`;
    return s;
  }

  open(_ns: string, qname: string, attrs: XmlAttrs): void {
    this.indent();
    this.pendingAt = this.out.length;
    this.out += `<${qname}${StringSink.attrs(attrs)}`;
    this.pending = true;
    this.depth++;
  }

  leaf(_ns: string, qname: string, text: string, attrs: XmlAttrs): void {
    this.indent();
    if (text === '') this.out += `<${qname}${StringSink.attrs(attrs)}/>`;
    else this.out += `<${qname}${StringSink.attrs(attrs)}>${escapeText(text)}</${qname}>`;
  }

  close(qname: string): void {
    this.depth--;
    if (this.pending) {
      this.out += '/>';
      this.pending = false;
      return;
    }
    this.indent();
    this.out += `</${qname}>`;
  }

  /** Returns and forgets the text written so far. */
  take(): string {
    if (this.pending) {
      // Keep an unfinished start tag back: it may still become `<q/>`.
      const s = this.out.slice(0, this.pendingAt);
      this.out = this.out.slice(this.pendingAt);
      this.pendingAt = 0;
      return s;
    }
    const s = this.out;
    this.out = '';
    return s;
  }

  /** Everything written, including a still-open start tag (completed with `>`). For the end of a document. */
  flush(): string {
    if (this.pending) {
      this.out += '>';
      this.pending = false;
    }
    return this.take();
  }
}

interface Ctx {
  profilePrefix: string;
}

function q(prefix: string, local: string): string {
  return prefix === '' ? local : `${prefix}:${local}`;
}

function leafText(field: ElementField, v: unknown): string {
  switch (field.t) {
    case 'boolean':
      if (typeof v !== 'boolean')
        throw new CimError('INVALID_ARGUMENT', `expected a boolean, got ${typeof v}`);
      return v ? 'true' : 'false';
    case 'integer':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
        throw new CimError('INVALID_ARGUMENT', `expected a safe integer, got ${String(v).slice(0, 40)}`);
      }
      return String(v);
    default:
      if (typeof v !== 'string') throw new CimError('INVALID_ARGUMENT', `expected a string, got ${typeof v}`);
      assertXmlChars(v, field.n);
      return v;
  }
}

export function emitField(
  sink: XmlSink,
  field: ElementField,
  v: unknown,
  ns: string,
  prefix: string,
  ctx: Ctx,
): void {
  const qname = q(prefix, field.n);
  switch (field.t) {
    case 'complex':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        throw new CimError('INVALID_ARGUMENT', `expected an object for ${field.type.name}`);
      }
      if (field.childNs && field.childNs.uri !== ns) {
        // Children in another namespace (a type embedded from another schema): declare it here.
        const inner = field.childNs.prefix === prefix ? `${prefix}1` : field.childNs.prefix;
        sink.open(ns, qname, [[`xmlns:${inner}`, field.childNs.uri]]);
        emitComplex(sink, v as Record<string, unknown>, field.type, field.childNs.uri, inner, ctx);
        sink.close(qname);
        return;
      }
      sink.open(ns, qname, []);
      emitComplex(sink, v as Record<string, unknown>, field.type, ns, prefix, ctx);
      sink.close(qname);
      return;
    case 'ref':
      if (typeof v !== 'string')
        throw new CimError('INVALID_ARGUMENT', `expected the referenced mRID as a string`);
      assertXmlChars(v, field.n);
      sink.leaf(ns, qname, '', [['ref', v]]);
      return;
    case 'id': {
      if (typeof v !== 'object' || v === null)
        throw new CimError('INVALID_ARGUMENT', 'expected an ID object');
      const id = v as Identifier;
      if (typeof id.value !== 'string') throw new CimError('INVALID_ARGUMENT', 'ID.value must be a string');
      assertXmlChars(id.value, 'ID');
      const attrs: [string, string][] = [];
      for (const k of ['idType', 'idAuthority', 'kind', 'objectType'] as const) {
        const a = id[k];
        if (a === undefined) continue;
        if (typeof a !== 'string') throw new CimError('INVALID_ARGUMENT', `ID.${k} must be a string`);
        assertXmlChars(a, k);
        attrs.push([k, a]);
      }
      sink.leaf(ns, qname, id.value, attrs);
      return;
    }
    default:
      sink.leaf(ns, qname, leafText(field, v), []);
  }
}

/** Writes a profile root element (declaring its namespace) and its content. */
export function emitProfile(sink: XmlSink, profile: ProfileDef, value: unknown, prefix: string): void {
  if (typeof value !== 'object' || value === null)
    throw new CimError('INVALID_ARGUMENT', `${profile.element} must be an object`);
  const qname = q(prefix, profile.element);
  sink.open(profile.namespace, qname, [[prefix === '' ? 'xmlns' : `xmlns:${prefix}`, profile.namespace]]);
  emitComplex(sink, value as Record<string, unknown>, profile.type, profile.namespace, prefix, {
    profilePrefix: prefix,
  });
  sink.close(qname);
}

/** Writes the children of a complex value in schema order. */
export function emitComplex(
  sink: XmlSink,
  value: Record<string, unknown>,
  type: ComplexType,
  ns: string,
  prefix: string,
  ctx: Ctx,
): void {
  let present = 0;
  for (const f of type.fields) {
    if (f.t === 'profiles') {
      for (const p of PROFILES) {
        if (p.slot !== f.slot) continue;
        const pv = value[p.element];
        if (pv === undefined) continue;
        withPath(p.element, () => emitProfile(sink, p, pv, ctx.profilePrefix));
      }
      continue;
    }
    const v = value[f.n];
    if (v === undefined) {
      if (f.req) throw new CimError('INVALID_ARGUMENT', `${type.name}.${f.n} is mandatory`, { path: [f.n] });
      continue;
    }
    present++;
    if (f.many) {
      if (!Array.isArray(v))
        throw new CimError('INVALID_ARGUMENT', `${f.n} must be an array`, { path: [f.n] });
      if (f.req && v.length === 0)
        throw new CimError('INVALID_ARGUMENT', `${type.name}.${f.n} needs at least one item`, {
          path: [f.n],
        });
      withPath(f.n, () => {
        for (let i = 0; i < v.length; i++) withPath(i, () => emitField(sink, f, v[i], ns, prefix, ctx));
      });
    } else {
      withPath(f.n, () => emitField(sink, f, v, ns, prefix, ctx));
    }
  }
  refuseUnknownProperties(value, type, present);
  const any = value[ANY_KEY];
  if (any !== undefined) {
    if (!Array.isArray(any))
      throw new CimError('INVALID_ARGUMENT', `${ANY_KEY} must be an array`, { path: [ANY_KEY] });
    withPath(ANY_KEY, () => {
      for (let i = 0; i < any.length; i++) withPath(i, () => emitAny(sink, any[i] as AnyElement, undefined));
    });
  }
}

/**
 * A property of the model that is neither a field, nor a profile of the type's slot, nor `$any` would be
 * lost on the way to XML: refused (`INVALID_ARGUMENT`), as the JSON writer does. `present` counts the
 * fields found, so the common case (every key a field) costs one comparison.
 */
function refuseUnknownProperties(value: Record<string, unknown>, type: ComplexType, present: number): void {
  let count = 0;
  for (const _ in value) count++;
  if (count === present) return;
  for (const k of Object.keys(value)) {
    if (k === ANY_KEY || value[k] === undefined) continue;
    let known = false;
    for (const f of type.fields) {
      if (f.t === 'profiles' ? PROFILES.some((p) => p.slot === f.slot && p.element === k) : f.n === k) {
        known = true;
        break;
      }
    }
    if (!known) {
      const name = k.slice(0, 60);
      throw new CimError(
        'INVALID_ARGUMENT',
        `"${name}" is not a field of ${type.name}; it would be lost (unknown elements go in ${ANY_KEY})`,
        { path: [name] },
      );
    }
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * Writes back an element kept by the reader (`$any`). It declares its own namespace (prefix `ext`, or none
 * with `xmlns=""` for no namespace) unless its parent kept element already bound the same one; namespaced
 * attributes get prefixes `a0`, `a1`, … declared on the element.
 */
function emitAny(sink: XmlSink, el: AnyElement, parentNs: string | undefined): void {
  const attrs: [string, string][] = [];
  let qname: string;
  if (el.ns === '') {
    qname = el.local;
    if (parentNs !== '') attrs.push(['xmlns', '']);
  } else {
    qname = `ext:${el.local}`;
    if (parentNs !== el.ns) attrs.push(['xmlns:ext', el.ns]);
  }
  let n = 0;
  for (const a of el.attrs ?? []) {
    if (a.ns === '') attrs.push([a.local, a.value]);
    else if (a.ns === XML_NS) attrs.push([`xml:${a.local}`, a.value]);
    else if (a.ns === el.ns) attrs.push([`ext:${a.local}`, a.value]);
    else {
      const p = `a${n++}`;
      attrs.push([`xmlns:${p}`, a.ns], [`${p}:${a.local}`, a.value]);
    }
  }
  const children = el.children ?? [];
  if (children.length === 0) {
    sink.leaf(el.ns, qname, el.text ?? '', attrs);
    return;
  }
  sink.open(el.ns, qname, attrs);
  for (let i = 0; i < children.length; i++) withPath(i, () => emitAny(sink, children[i]!, el.ns));
  sink.close(qname);
}

/** Opens the message root (declaring the message namespace) — used by the whole-message and streaming writers. */
export function openRoot(
  sink: XmlSink,
  kind: Message['kind'],
  options: XmlWriteOptions,
): { ns: string; prefix: string; qname: string } {
  const ns = messageNamespace(options.edition);
  const prefix = options.messagePrefix ?? 'msg';
  const profilePrefix = options.profilePrefix ?? 'm';
  if (prefix === profilePrefix) {
    throw new CimError('INVALID_ARGUMENT', `messagePrefix and profilePrefix must differ (both "${prefix}")`);
  }
  const qname = q(prefix, kind);
  sink.open(ns, qname, [[prefix === '' ? 'xmlns' : `xmlns:${prefix}`, ns]]);
  return { ns, prefix, qname };
}

/** Emits a whole message. */
export function emitMessage(sink: XmlSink, message: Message, options: XmlWriteOptions = {}): void {
  if (typeof message !== 'object' || message === null)
    throw new CimError('INVALID_ARGUMENT', 'message must be an object');
  const type = (MESSAGE_TYPES as Record<string, ComplexType>)[message.kind];
  if (!type)
    throw new CimError('INVALID_ARGUMENT', `unknown message kind ${String(message.kind).slice(0, 40)}`);
  const { ns, prefix, qname } = openRoot(sink, message.kind, options);
  // `kind` names the root element; it is not content.
  const { kind: _kind, ...content } = message as unknown as Record<string, unknown>;
  emitComplex(sink, content, type, ns, prefix, { profilePrefix: options.profilePrefix ?? 'm' });
  sink.close(qname);
}
