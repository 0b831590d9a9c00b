/**
 * The BER adapter of the ACSE codec: the only module that touches asn1js.
 *
 * Decoding: {@link parseBer} checks the outer TLV itself first (so a truncated input is always
 * `INCOMPLETE`, whatever asn1js would say, and trailing bytes are `MALFORMED`), then lets asn1js's
 * `fromBER` build the tree, with resource limits and without copying the input, and converts it into
 * plain {@link BerNode}s whose offsets are offsets in the caller's input. asn1js's error-as-value result
 * (`offset: -1`) becomes a `DlmsError`; no asn1js type leaves this module.
 *
 * Encoding is written by hand with our {@link Writer}: DLMS peers expect one exact byte form (minimal
 * definite lengths, explicit context tags wrapping universal types, the unused-bits octet of
 * BIT STRINGs), which is simplest to guarantee by writing it directly.
 *
 * @module
 */
import { fromBER } from 'asn1js';
import { DlmsError } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';

/** BER tag classes. */
export type TagClass = 'universal' | 'application' | 'context' | 'private';
const CLASSES: readonly TagClass[] = ['universal', 'application', 'context', 'private'];

/** One decoded TLV. `content` is a view into the caller's input. */
export interface BerNode {
  cls: TagClass;
  tag: number;
  constructed: boolean;
  /** Offset of the identifier octet in the caller's input. */
  offset: number;
  /** Offset of the first content octet in the caller's input. */
  contentOffset: number;
  content: Uint8Array;
  /** The nested TLVs of a constructed encoding (empty for a primitive one). */
  children: BerNode[];
}

/** Limits applied to untrusted input. ACSE APDUs are small and shallow. */
const LIMITS = { maxDepth: 12, maxNodes: 256 } as const;

/** The structural view of asn1js blocks this adapter reads (kept private to this file). */
interface AsnBlock {
  idBlock: { tagClass: number; tagNumber: number; isConstructed: boolean; blockLength: number };
  lenBlock: { length: number; isIndefiniteForm: boolean; blockLength: number };
  valueBlock: { value?: unknown; valueBeforeDecodeView?: Uint8Array; error?: string };
  valueBeforeDecodeView: Uint8Array;
  error?: string;
}

/**
 * Parses exactly one BER TLV covering the whole input. `INCOMPLETE` when the input ends before the outer
 * TLV does; `MALFORMED` for trailing bytes, indefinite lengths, or any inner inconsistency (an inner TLV
 * cannot be "incomplete" once the outer one is complete); `LIMIT_EXCEEDED` beyond {@link LIMITS}.
 */
export function parseBer(input: Uint8Array): BerNode {
  const r = new Reader(input);
  const first = r.u8('identifier');
  if ((first & 0x1f) === 0x1f) {
    for (let k = 0; ; k++) {
      const at = r.pos;
      const b = r.u8('identifier');
      if (k >= 3) r.fail('tag number too large', at);
      if ((b & 0x80) === 0) break;
    }
  }
  const len = r.length('length');
  r.need(len, 'content');
  const end = r.pos + len;
  if (end < input.length) r.fail(`${input.length - end} trailing byte(s) after the APDU`, end);

  const res = safeFromBER(input);
  if (res === undefined) {
    // asn1js throws (rather than returning an error) for some content it interprets, e.g. a malformed
    // GeneralizedTime: none of that belongs in an ACSE APDU.
    throw new DlmsError('MALFORMED', 'BER: content that asn1js cannot interpret', { offset: 0 });
  }
  const root = res.result as unknown as AsnBlock;
  if (res.offset === -1) {
    const message = root.error || root.valueBlock.error || 'invalid BER';
    const code = /Maximum ASN\.1/.test(message) ? 'LIMIT_EXCEEDED' : 'MALFORMED';
    throw new DlmsError(code, `BER: ${message}`, { offset: failureOffset(root, input) });
  }
  return convert(root, input);
}

/**
 * Where asn1js stopped. It keeps the children it decoded before the failing one, so the failing element
 * starts right after the last of them; that element is parsed again on its own (again without copying,
 * so offsets stay offsets in the input) to go one level deeper, down to the innermost element that
 * cannot be decoded.
 */
function failureOffset(root: AsnBlock, input: Uint8Array, depth = 0): number {
  const self = root.valueBeforeDecodeView.byteOffset - input.byteOffset;
  const content = root.valueBlock.valueBeforeDecodeView;
  // A primitive element (or one whose content asn1js did not reach) is itself the culprit.
  if (!root.idBlock.isConstructed || !content || content.length === 0 || depth > LIMITS.maxDepth) return self;
  const kids = root.valueBlock.value;
  let next = content.byteOffset;
  if (Array.isArray(kids) && kids.length > 0) {
    const v = (kids[kids.length - 1] as AsnBlock).valueBeforeDecodeView;
    next = v.byteOffset + v.length;
  }
  const contentEnd = content.byteOffset + content.length;
  const at = next - input.byteOffset;
  if (next >= contentEnd) return at;
  const child = safeFromBER(input.subarray(at, contentEnd - input.byteOffset));
  if (child === undefined || child.offset !== -1) return at;
  return failureOffset(child.result as unknown as AsnBlock, input, depth + 1);
}

/** asn1js's `fromBER` without copying the input, with limits, and with its exceptions caught. */
function safeFromBER(view: Uint8Array): ReturnType<typeof fromBER> | undefined {
  try {
    return fromBER(view, { copyInput: false, parseEmbedded: false, ...LIMITS });
  } catch {
    return undefined;
  }
}

function convert(b: AsnBlock, input: Uint8Array): BerNode {
  const view = b.valueBeforeDecodeView;
  const offset = view.byteOffset - input.byteOffset;
  if (b.lenBlock.isIndefiniteForm) {
    throw new DlmsError('MALFORMED', 'indefinite length form is not used by DLMS', { offset });
  }
  const header = b.idBlock.blockLength + b.lenBlock.blockLength;
  const content = view.subarray(header);
  if (content.length !== b.lenBlock.length) {
    throw new DlmsError('MALFORMED', 'content length does not match the length octets', { offset });
  }
  const node: BerNode = {
    cls: CLASSES[b.idBlock.tagClass - 1] ?? 'universal',
    tag: b.idBlock.tagNumber,
    constructed: b.idBlock.isConstructed,
    offset,
    contentOffset: offset + header,
    content,
    children: [],
  };
  if (node.constructed) {
    const kids = Array.isArray(b.valueBlock.value) ? (b.valueBlock.value as AsnBlock[]) : [];
    let pos = node.contentOffset;
    for (const k of kids) {
      const child = convert(k, input);
      if (child.offset !== pos)
        throw new DlmsError('MALFORMED', 'nested element overruns its container', { offset: pos });
      pos = child.contentOffset + child.content.length;
      node.children.push(child);
    }
    if (pos !== node.contentOffset + content.length) {
      throw new DlmsError('MALFORMED', 'nested elements do not fill their container', { offset: pos });
    }
  }
  return node;
}

// ---------------------------------------------------------------------------------------------------------
// Content decoders (the content of a primitive node)

/** Requires a primitive node; the name goes in the message. */
export function primitive(node: BerNode, what: string): Uint8Array {
  if (node.constructed) fail(node, `${what}: expected a primitive encoding`);
  return node.content;
}

/**
 * The single universal element inside an EXPLICIT context tag (`A1 09 06 07 …`), checked for its
 * universal tag number.
 */
export function explicitInner(node: BerNode, universalTag: number, what: string): BerNode {
  if (!node.constructed || node.children.length !== 1) {
    fail(node, `${what}: expected an explicit tag holding one element`);
  }
  const inner = node.children[0]!;
  if (inner.cls !== 'universal' || inner.tag !== universalTag || inner.constructed) {
    fail(
      inner,
      `${what}: expected ${UNIVERSAL_NAMES[universalTag] ?? `universal ${universalTag}`} (primitive)`,
    );
  }
  return inner;
}

const UNIVERSAL_NAMES: Record<number, string> = {
  2: 'INTEGER',
  3: 'BIT STRING',
  4: 'OCTET STRING',
  6: 'OBJECT IDENTIFIER',
  25: 'GraphicString',
};

export function fail(node: BerNode, message: string): never {
  throw new DlmsError('MALFORMED', message, { offset: node.offset });
}

/** An OBJECT IDENTIFIER's content as a dotted string, e.g. `2.16.756.5.8.1.1`. */
export function decodeOid(node: BerNode): string {
  const c = primitive(node, 'OBJECT IDENTIFIER');
  if (c.length === 0) fail(node, 'empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let v = 0;
  let started = false;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (!started && b === 0x80) {
      throw new DlmsError('MALFORMED', 'OBJECT IDENTIFIER sub-identifier has a leading 0x80 octet', {
        offset: node.contentOffset + i,
      });
    }
    started = true;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) {
      throw new DlmsError('UNSUPPORTED', 'OBJECT IDENTIFIER arc too large', {
        offset: node.contentOffset + i,
      });
    }
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 40 ? 0 : v < 80 ? 1 : 2;
        arcs.push(first, v - 40 * first);
      } else arcs.push(v);
      v = 0;
      started = false;
    }
  }
  if (started) {
    throw new DlmsError('MALFORMED', 'OBJECT IDENTIFIER ends inside a sub-identifier', {
      offset: node.contentOffset + c.length - 1,
    });
  }
  return arcs.join('.');
}

/** A BER INTEGER (two's complement, big-endian) as a safe JavaScript number. */
export function decodeInteger(node: BerNode): number {
  const c = primitive(node, 'INTEGER');
  if (c.length === 0) fail(node, 'empty INTEGER');
  if (c.length > 6) {
    throw new DlmsError('UNSUPPORTED', 'INTEGER wider than 48 bits', { offset: node.offset });
  }
  let v = c[0]! & 0x80 ? -1 : 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

/** A BIT STRING's content as a string of `0`/`1` characters, bit 0 first. Padding bits are ignored. */
export function decodeBitString(node: BerNode): string {
  const c = primitive(node, 'BIT STRING');
  if (c.length === 0) fail(node, 'BIT STRING without its unused-bits octet');
  const unused = c[0]!;
  if (unused > 7 || (c.length === 1 && unused !== 0)) {
    throw new DlmsError('MALFORMED', `BIT STRING: invalid unused-bits count ${unused}`, {
      offset: node.contentOffset,
    });
  }
  let s = '';
  for (let i = 1; i < c.length; i++) s += c[i]!.toString(2).padStart(8, '0');
  return s.slice(0, s.length - unused);
}

// ---------------------------------------------------------------------------------------------------------
// Encoders (hand-written, minimal definite lengths)

/** Identifier octet: class bits, constructed bit and a tag number below 31. */
export function identifier(cls: TagClass, constructed: boolean, tag: number): number {
  return (CLASSES.indexOf(cls) << 6) | (constructed ? 0x20 : 0) | tag;
}

/** A TLV whose content `body` writes; the length is filled in afterwards. */
export function writeTlv(w: Writer, id: number, body: () => void): void {
  w.u8(id).fork();
  body();
  w.join();
}

/** A primitive TLV with the given content. */
export function writePrimitive(w: Writer, id: number, content: Uint8Array): void {
  w.u8(id).length(content.length).bytes(content);
}

/** The content octets of an OBJECT IDENTIFIER given in dotted form. */
export function encodeOid(dotted: string): Uint8Array<ArrayBuffer> {
  const parts = dotted.split('.');
  const arcs = parts.map(Number);
  if (
    parts.length < 2 ||
    arcs.some((a, i) => !/^\d+$/.test(parts[i]!) || !Number.isSafeInteger(a)) ||
    arcs[0]! > 2 ||
    (arcs[0]! < 2 && arcs[1]! > 39)
  ) {
    throw new DlmsError('INVALID_ARGUMENT', `not an OBJECT IDENTIFIER: ${JSON.stringify(dotted)}`);
  }
  const out: number[] = [];
  const push = (v: number): void => {
    const tmp: number[] = [v % 128];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) tmp.push((v % 128) | 0x80);
    for (let i = tmp.length - 1; i >= 0; i--) out.push(tmp[i]!);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (let i = 2; i < arcs.length; i++) push(arcs[i]!);
  return Uint8Array.from(out);
}

/** Minimal two's-complement content octets of an INTEGER. */
export function encodeInteger(v: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(v) || v < -(2 ** 47) || v >= 2 ** 47) {
    throw new DlmsError('INVALID_ARGUMENT', `INTEGER ${v} outside the supported 48-bit range`);
  }
  const out: number[] = [];
  let x = v;
  for (;;) {
    const byte = ((x % 256) + 256) % 256;
    out.unshift(byte);
    x = Math.floor(x / 256);
    if ((x === 0 && (byte & 0x80) === 0) || (x === -1 && (byte & 0x80) !== 0)) break;
  }
  return Uint8Array.from(out);
}

/** Content octets of a BIT STRING given as `0`/`1` characters (bit 0 first): unused-bits octet + bits. */
export function encodeBitString(bits: string): Uint8Array<ArrayBuffer> {
  if (!/^[01]*$/.test(bits))
    throw new DlmsError('INVALID_ARGUMENT', `not a bit string: ${JSON.stringify(bits)}`);
  const n = Math.ceil(bits.length / 8);
  const out = new Uint8Array(1 + n);
  out[0] = n * 8 - bits.length;
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') out[1 + (i >> 3)]! |= 0x80 >> (i & 7);
  return out;
}
