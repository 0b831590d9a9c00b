/**
 * IEC 61968-100 messages as XML: `toXml` / `fromXml` for whole messages (an xmlbuilder2 DOM writer is
 * on its own subpath, `@ami-interop/cim/xml-builder`), `profileToXml` for a bare profile element, gzip+base64 `Compressed` payloads, and streaming
 * MeterReadings (see `stream.ts`).
 *
 * ```ts
 * import { fromXml, toXml } from '@ami-interop/cim/xml';
 * const msg = fromXml(text);            // namespace-aware whatever prefixes the sender used
 * if (msg.kind === 'EventMessage') msg.Payload?.EndDeviceEvents?.EndDeviceEvent;
 * const xml = toXml(msg, { pretty: true });
 * ```
 *
 * @module
 */
import type { Edition, Message, Payload } from '../envelope/index.ts';
import { CimError } from '../errors.ts';
import { type PayloadProfiles, PROFILES, profileByElement } from '../profiles/index.ts';
import { type DecodeOptions, decodeComplex, decodeMessageNode } from './decode.ts';
import { emitMessage, emitProfile, StringSink, type XmlWriteOptions } from './encode.ts';
import { DEFAULT_XML_LIMITS, parseXmlTree, refuseForbidden, type XmlLimits } from './tree.ts';
import { parseXmlTreeBuiltin } from './tree-builtin.ts';
import { unwrapMessage, type Wrapping } from './unwrap.ts';

export {
  type DecodeOptions,
  decodeComplex,
  decodeLeaf,
  decodeMessageNode,
  editionOf,
  toAnyElement,
} from './decode.ts';
export {
  emitComplex,
  emitMessage,
  emitProfile,
  StringSink,
  type XmlSink,
  type XmlWriteOptions,
} from './encode.ts';
export * from './stream.ts';
export { escapeAttr, escapeText } from './text.ts';
export { DEFAULT_XML_LIMITS, parseXmlTree, type XAttr, type XmlLimits, type XNode } from './tree.ts';
export { parseXmlTreeBuiltin } from './tree-builtin.ts';
export { SOAP11_NS, SOAP12_NS, unwrapMessage, type Wrapping } from './unwrap.ts';

export interface XmlReadOptions extends DecodeOptions {
  limits?: Partial<XmlLimits>;
  /**
   * Which XML parser builds the tree: `builtin` (default), our incremental tokenizer (the one the streaming
   * reader uses), or `fast-xml-parser`. They give the same model on well-formed input (differential-tested);
   * `builtin` is the default because it is stricter where it matters — fast-xml-parser accepts some
   * malformed markup (`<a x="1"=>`, bad processing-instruction targets) and refuses some well-formed names
   * (`constructor`, `__proto__`), and on those differences the builtin parser agrees with libxml2 (tested) —
   * and about five times faster (docs/benchmarks.md).
   */
  parser?: 'fast-xml-parser' | 'builtin';
}

/** Serialises a message to XML text (our string writer: exact escaping, fast). */
export function toXml(message: Message, options: XmlWriteOptions = {}): string {
  const sink = new StringSink(options.pretty ?? false, 0, options.declaration ?? true);
  emitMessage(sink, message, options);
  return sink.take();
}

/**
 * Parses and decodes a message. The message may come bare, in a SOAP 1.1/1.2 envelope, or as a strongly
 * typed per-noun wrapper (`CreateEndDeviceControls`, `MeterReadingsResponseMessage`, …; see `unwrap.ts`).
 * Errors: MALFORMED_XML, FORBIDDEN_CONSTRUCT, LIMIT_EXCEEDED, WRONG_NAMESPACE, UNKNOWN_VERB, MISSING_FIELD, … */
export function fromXml(text: string, options: XmlReadOptions = {}): Message {
  return fromXmlWithEdition(text, options).message;
}

/**
 * Like {@link fromXml}, also telling which envelope edition the document used and how the message was
 * wrapped (SOAP envelope and its header blocks, operation element, typed wrapper).
 */
export function fromXmlWithEdition(
  text: string,
  options: XmlReadOptions = {},
): { message: Message; edition: Edition; wrapping?: Wrapping } {
  if (typeof text !== 'string') throw new CimError('INVALID_ARGUMENT', 'fromXml expects a string');
  const { root, wrapping } = unwrapMessage(parseTree(text, options));
  const decoded: { message: Message; edition: Edition; wrapping?: Wrapping } = decodeMessageNode(
    root,
    options,
  );
  // Only documents that came wrapped say so: a bare message gives exactly { message, edition }.
  if (Object.keys(wrapping).length > 0) decoded.wrapping = wrapping;
  return decoded;
}

function parseTree(text: string, options: XmlReadOptions) {
  const limits = { ...DEFAULT_XML_LIMITS, ...options.limits };
  return options.parser === 'fast-xml-parser'
    ? parseXmlTree(text, limits)
    : parseXmlTreeBuiltin(text, limits);
}

/** Serialises one profile element on its own (e.g. `MeterReadings`), with its namespace declared on it. */
export function profileToXml(
  element: keyof PayloadProfiles | 'GetMeterReadings' | 'GetEndDeviceEvents',
  value: unknown,
  options: Pick<XmlWriteOptions, 'pretty' | 'declaration' | 'profilePrefix'> = {},
): string {
  const p = profileByElement(element);
  if (!p) throw new CimError('UNKNOWN_NOUN', `unknown profile ${String(element).slice(0, 40)}`);
  const sink = new StringSink(options.pretty ?? false, 0, options.declaration ?? true);
  emitProfile(sink, p, value, options.profilePrefix ?? 'm');
  return sink.take();
}

/** Parses a bare profile document (root = a profile element in its namespace). */
export function profileFromXml(text: string, options: XmlReadOptions = {}): PayloadProfiles {
  if (typeof text !== 'string') throw new CimError('INVALID_ARGUMENT', 'profileFromXml expects a string');
  const root = parseTree(text, options);
  const p = PROFILES.find((d) => d.element === root.local && d.namespace === root.ns);
  if (!p)
    throw new CimError(
      'UNKNOWN_NOUN',
      `root {${root.ns.slice(0, 80)}}${root.local.slice(0, 40)} is not a known profile`,
    );
  return { [p.element]: decodeComplex(root, p.type, p.namespace, options) } as PayloadProfiles;
}

// ---- Compressed payloads (gzip + base64) ----

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function fromBase64(b64: string): Uint8Array {
  const clean = b64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new CimError('INVALID_VALUE', 'Compressed is not valid base64', {
      path: ['Payload', 'Compressed'],
    });
  }
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
  maxBytes: number,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const done = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  done.catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new CimError('LIMIT_EXCEEDED', `decompressed payload over ${maxBytes} bytes`, {
        path: ['Payload', 'Compressed'],
      });
    }
    chunks.push(value);
  }
  await done;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/**
 * Moves the profile elements of `payload` into `Compressed`: their XML (one after the other, each declaring
 * its namespace), gzip-compressed (`CompressionStream`, Node ≥ 18 and browsers), base64-encoded. 61968-100
 * Ed.1 says "Gzip compression is used"; its XSD text says "uuencoded", but base64 is what is used in practice.
 */
export async function compressPayload(
  payload: Payload,
  options: Pick<XmlWriteOptions, 'profilePrefix'> = {},
): Promise<Payload> {
  let xml = '';
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (profileByElement(k, 'payload') && v !== undefined) {
      xml += profileToXml(k as keyof PayloadProfiles, v, {
        declaration: false,
        profilePrefix: options.profilePrefix,
      });
    } else rest[k] = v;
  }
  if (xml === '') throw new CimError('INVALID_ARGUMENT', 'payload has no profile element to compress');
  const gz = await pipe(
    new TextEncoder().encode(xml),
    new CompressionStream('gzip'),
    Number.POSITIVE_INFINITY,
  );
  const out: Payload = { ...rest, Compressed: toBase64(gz) };
  if (out.Format === undefined) out.Format = 'XML';
  return out;
}

/** Reverses {@link compressPayload}: inflates `Compressed` (at most `maxBytes`, default 64 MiB) and decodes the profiles. */
export async function decompressPayload(
  payload: Payload,
  options: { maxBytes?: number } = {},
): Promise<Payload> {
  if (payload.Compressed === undefined) return payload;
  let bytes: Uint8Array;
  try {
    bytes = await pipe(
      fromBase64(payload.Compressed),
      new DecompressionStream('gzip'),
      options.maxBytes ?? 64 * 1024 * 1024,
    );
  } catch (e) {
    if (e instanceof CimError) throw e;
    throw new CimError('INVALID_VALUE', 'Compressed is not valid gzip', {
      path: ['Payload', 'Compressed'],
      cause: e,
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new CimError('INVALID_VALUE', 'Compressed payload is not UTF-8', {
      path: ['Payload', 'Compressed'],
      cause: e,
    });
  }
  // The content is a sequence of profile elements (senders may prefix an XML declaration and a BOM):
  // wrap it to parse it as one document.
  const body = text.replace(/^\uFEFF?\s*<\?xml[^>]*\?>/, '');
  refuseForbidden(body);
  const root = parseXmlTree(`<w:Payload xmlns:w="urn:ami-interop:wrap">${body}</w:Payload>`);
  const { Compressed: _c, ...rest } = payload;
  const out: Record<string, unknown> = { ...rest };
  for (const child of root.children) {
    const p = PROFILES.find(
      (d) => d.element === child.local && d.namespace === child.ns && d.slot === 'payload',
    );
    if (!p)
      throw new CimError('UNKNOWN_NOUN', `unknown profile ${child.local.slice(0, 40)} in Compressed`, {
        path: ['Payload', 'Compressed'],
      });
    out[p.element] = decodeComplex(child, p.type, p.namespace);
  }
  return out as Payload;
}
