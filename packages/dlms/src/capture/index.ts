/**
 * `@ami-interop/dlms/capture`: decode a whole DLMS conversation as it was captured on a probe or a
 * socket — many frames in a row, both directions mixed — into an ordered list of exchanges.
 *
 * - Framing is detected (HDLC `7E…7E`, the IEC 62056-47 wrapper `00 01 …`, or a bare APDU), or forced.
 * - HDLC segments are reassembled per direction into whole APDUs; the LLC header is stripped.
 * - Every APDU is decoded: ACSE (AARQ, AARE, RLRQ, RLRE), xDLMS, and the ciphered envelopes.
 * - System titles are learnt from the AARQ (calling-AP-title: the client's) and the AARE
 *   (responding-AP-title: the server's), or given; with the keys, ciphered APDUs are deciphered and the
 *   plain APDU is shown under its security header. A wrong key is reported as `AUTHENTICATION_FAILED`
 *   on that entry; the rest of the capture still decodes.
 * - A frame that cannot be decoded becomes an entry with its error (code, message, offset); nothing is
 *   skipped silently.
 *
 * Runtime-neutral: no I/O here. The `ami dlms decode` command prints what this returns.
 *
 * @module
 */
import { decodeAcse } from '../acse/index.ts';
import { apduToJson, decodeXdlmsApdu, GetBlockAssembler, type XdlmsApdu } from '../apdu/index.ts';
import { dataToJson } from '../axdr/index.ts';
import { isDlmsError } from '../errors.ts';
import {
  decodeHdlcParameters,
  type HdlcAddress,
  HdlcDeframer,
  type HdlcFrame,
  HdlcReassembler,
  hdlcFrameToJson,
  stripLlc,
} from '../hdlc/index.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import {
  type CipheredApdu,
  type CryptoBackend,
  cipheredServiceOf,
  decodeCipheredApdu,
  GENERAL_CIPHERING,
  GENERAL_DED_CIPHERING,
  GENERAL_GLO_CIPHERING,
  type SecurityKeys,
  unprotectApdu,
} from '../security/index.ts';
import { WrapperDeframer, type WrapperFrame, wrapperFrameToJson } from '../wrapper/index.ts';

export type Framing = 'hdlc' | 'wrapper' | 'apdu';
export type Direction = 'client-to-server' | 'server-to-client' | 'unknown';

export interface CaptureOptions {
  /** Default `auto`: chosen per frame from its first bytes. */
  framing?: Framing | 'auto';
  /** Keys for deciphering (any subset). */
  keys?: Partial<SecurityKeys>;
  /** The client's system title, when the capture has no AARQ carrying it. */
  clientSystemTitle?: Uint8Array;
  /** The server's system title, when the capture has no AARE carrying it. */
  serverSystemTitle?: Uint8Array;
  /** Nesting limit for ciphered APDUs inside ciphered APDUs (default 2). */
  maxCipherDepth?: number;
  /** AES-GCM implementation (default `defaultBackend`: node:crypto where the runtime has it, else noble). */
  backend?: CryptoBackend;
}

export interface CaptureError {
  code: string;
  message: string;
  offset?: number;
}

/** The security header of a ciphered APDU and, with the keys, what it carried. */
export interface CaptureSecurity {
  envelope: string;
  securityControl: unknown;
  invocationCounter: number;
  systemTitle?: string;
  /** The deciphered APDU (decoded), when the keys were given and it verified. */
  plain?: CaptureApdu;
  /** Why it was not deciphered (no keys, no system title, or a failure). */
  error?: CaptureError;
}

export interface CaptureApdu {
  /** Tag name, e.g. `aarq`, `get-request`, `glo-get-request`. */
  name: string;
  hex: string;
  /** The decoded APDU (JSON form). */
  decoded?: unknown;
  security?: CaptureSecurity;
  /**
   * When this APDU completed a GET with block transfer: the whole value, reassembled from the
   * get-response-with-datablock blocks seen so far in the same direction (typed JSON form).
   */
  reassembled?: { blocks: number; data: unknown };
  /**
   * When this general-block-transfer APDU was the last block: the APDU its blocks carried (joined in this
   * direction since block 1), decoded like any other (deciphered, GET blocks followed).
   */
  carried?: CaptureApdu;
  /** E.g. that a block belongs to a transfer that started before the capture. */
  note?: string;
  error?: CaptureError;
}

export interface CaptureEntry {
  /** 0-based position in the capture. */
  index: number;
  /** Offset of the frame in the input (stream) or its index (list of frames). */
  offset: number;
  framing: Framing;
  direction: Direction;
  /** The link-layer frame without its payload (HDLC header fields, or wrapper ports). */
  link?: unknown;
  /** The whole APDU completed by this frame (after reassembly). */
  apdu?: CaptureApdu;
  /** E.g. `HDLC segment, more follow` or `SNRM`. */
  note?: string;
  /** One line for people: `HDLC 16 → 1 I N(S)=0 N(R)=0 P` or `wrapper 32 → 1`. */
  summary: string;
  /** SNRM/UA parameters (max information field lengths, window sizes), when the frame carries them. */
  parameters?: unknown;
  /** A frame that could not be decoded. */
  error?: CaptureError;
}

const REQUEST_TAGS = new Set([0x60, 0x62, 0x01, 0xc0, 0xc1, 0xc2, 0xc3, 0x05, 0x06, 0x21, 0x25, 0x26]);
const RESPONSE_TAGS = new Set([0x61, 0x63, 0x08, 0x0e, 0x0f, 0xc4, 0xc5, 0xc7, 0xd8, 0x0c, 0x0d, 0x28]);
const ACSE_NAMES: Record<number, string> = { 96: 'aarq', 97: 'aare', 98: 'rlrq', 99: 'rlre' };

function errorOf(e: unknown): CaptureError {
  if (isDlmsError(e)) {
    const o: CaptureError = { code: e.code, message: e.message };
    if (e.offset !== undefined) o.offset = e.offset;
    return o;
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** Direction of an APDU from its tag alone (requests go to the server). */
function directionOfTag(tag: number): Direction {
  const c = cipheredServiceOf(tag);
  const plain = c ? c.service.plain : tag;
  if (REQUEST_TAGS.has(plain)) return 'client-to-server';
  if (RESPONSE_TAGS.has(plain)) return 'server-to-client';
  return 'unknown';
}

function sameHdlcAddress(a: HdlcAddress, b: HdlcAddress): boolean {
  return a.size === b.size && a.upper === b.upper && (a.lower ?? -1) === (b.lower ?? -1);
}

/** The state a capture builds as it goes: who is the client, system titles, partial segments. */
class CaptureState {
  clientSystemTitle: Uint8Array | undefined;
  serverSystemTitle: Uint8Array | undefined;
  hdlcClient: HdlcAddress | undefined;
  wrapperClientPort: number | undefined;
  readonly reassembly = new Map<Direction, HdlcReassembler>();
  /** GET block transfers under way, by invoke-id. */
  readonly getBlocks = new Map<number, GetBlockAssembler>();
  /** General-block-transfer blocks under way, by direction. */
  readonly gbt = new Map<Direction, Uint8Array[]>();
  /** True while decoding an APDU carried by general-block-transfer (no GBT inside GBT). */
  inGbt = false;
  constructor(readonly options: CaptureOptions) {
    this.clientSystemTitle = options.clientSystemTitle;
    this.serverSystemTitle = options.serverSystemTitle;
  }
  reassembler(d: Direction): HdlcReassembler {
    let r = this.reassembly.get(d);
    if (!r) {
      r = new HdlcReassembler();
      this.reassembly.set(d, r);
    }
    return r;
  }
}

/**
 * Decodes one APDU (ACSE, xDLMS or ciphered), learning system titles and deciphering where it can.
 * Never throws: failures are carried in the result.
 */
function describeApdu(bytes: Uint8Array, direction: Direction, state: CaptureState, depth = 0): CaptureApdu {
  const out: CaptureApdu = { name: 'empty', hex: toHex(bytes) };
  if (bytes.length === 0) {
    out.error = { code: 'INCOMPLETE', message: 'empty APDU' };
    return out;
  }
  const tag = bytes[0]!;
  try {
    if (ACSE_NAMES[tag]) {
      out.name = ACSE_NAMES[tag]!;
      const acse = decodeAcse(bytes);
      out.decoded = acse;
      if (acse.type === 'aarq' && acse.callingApTitle) state.clientSystemTitle = fromHex(acse.callingApTitle);
      if (acse.type === 'aare' && acse.respondingApTitle)
        state.serverSystemTitle = fromHex(acse.respondingApTitle);
      const ui = acse.type === 'aarq' || acse.type === 'aare' ? acse.userInformation : undefined;
      if (ui?.type === 'opaque' && depth < (state.options.maxCipherDepth ?? 2)) {
        // A ciphered InitiateRequest/Response (glo-initiate-…): decipher it with the sender's title.
        const inner = describeApdu(fromHex(ui.hex), direction, state, depth + 1);
        if (inner.security) out.security = inner.security;
      }
      return out;
    }
    const ciphered = cipheredServiceOf(tag);
    if (
      ciphered ||
      tag === GENERAL_GLO_CIPHERING ||
      tag === GENERAL_DED_CIPHERING ||
      tag === GENERAL_CIPHERING
    ) {
      const env = decodeCipheredApdu(bytes);
      out.name = ciphered ? `${ciphered.scope}-${ciphered.service.name}` : env.kind;
      out.security = decipher(bytes, env, direction, state, depth);
      return out;
    }
    // Captures are real traffic: accept the tagged date-time some meters send, and say so.
    const x = decodeXdlmsApdu(bytes, { tolerateTaggedDateTime: true });
    out.name = (x as { type: string }).type;
    out.decoded = apduToJson(x);
    if (x.type === 'data-notification' && x.dateTimeForm === 'data-tagged')
      out.note =
        'non-conformant date-time: sent as a tagged Data octet-string (09 0C …), not the OCTET STRING (0C …) of the Green Book; accepted';
    followGetBlocks(x, out, state);
    if (x.type === 'general-block-transfer') followGbt(x, out, direction, state, depth);
  } catch (e) {
    out.error = errorOf(e);
    if (out.name === 'empty') out.name = `0x${tag.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Joins general-block-transfer blocks per direction; the last one carries the whole APDU, decoded. */
function followGbt(
  x: Extract<XdlmsApdu, { type: 'general-block-transfer' }>,
  out: CaptureApdu,
  direction: Direction,
  state: CaptureState,
  depth: number,
): void {
  if (state.inGbt) {
    out.note = 'general-block-transfer inside general-block-transfer: not followed';
    return;
  }
  if (x.blockNumber === 1) state.gbt.set(direction, []);
  const blocks = state.gbt.get(direction);
  if (x.blockData.length === 0) return; // an acknowledgement only
  if (!blocks) {
    out.note = `block ${x.blockNumber} of a general-block-transfer that started before the capture`;
    return;
  }
  blocks.push(x.blockData);
  if (!x.lastBlock) return;
  state.gbt.delete(direction);
  const all = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    all.set(b, o);
    o += b.length;
  }
  state.inGbt = true;
  try {
    out.carried = describeApdu(all, direction, state, depth);
  } finally {
    state.inGbt = false;
  }
  out.note = `last of ${blocks.length} general-block-transfer blocks`;
}

/** Feeds get-response-with-datablock APDUs to an assembler per invoke-id; reports the whole value at the end. */
function followGetBlocks(x: XdlmsApdu, out: CaptureApdu, state: CaptureState): void {
  if (x.type !== 'get-response-with-datablock') return;
  const id = x.invokeIdAndPriority.invokeId;
  let asm = state.getBlocks.get(id);
  if (x.blockNumber === 1) {
    asm = new GetBlockAssembler();
    state.getBlocks.set(id, asm);
  } else if (!asm) {
    // A probe often starts listening mid-transfer: nothing to reassemble, and nothing wrong.
    out.note = `block ${x.blockNumber} of a GET transfer that started before the capture`;
    return;
  }
  try {
    const step = asm.push(x);
    if (step.done) {
      state.getBlocks.delete(id);
      out.reassembled = { blocks: step.blocks, data: dataToJson(step.data) };
    }
  } catch (e) {
    state.getBlocks.delete(id);
    out.error = errorOf(e);
  }
}

function decipher(
  bytes: Uint8Array,
  env: CipheredApdu,
  direction: Direction,
  state: CaptureState,
  depth: number,
): CaptureSecurity {
  const sec: CaptureSecurity = {
    envelope: env.kind,
    securityControl: env.securityControl,
    invocationCounter: env.invocationCounter,
  };
  const carried = 'systemTitle' in env ? env.systemTitle : undefined;
  const senderTitle =
    carried ??
    (direction === 'client-to-server'
      ? state.clientSystemTitle
      : direction === 'server-to-client'
        ? state.serverSystemTitle
        : undefined);
  if (senderTitle) sec.systemTitle = toHex(senderTitle);
  const keys = state.options.keys;
  if (!keys?.ek && !keys?.dk) {
    sec.error = { code: 'NO_KEYS', message: 'ciphered: give the keys (--ek, --ak) to decipher' };
    return sec;
  }
  if (!senderTitle) {
    sec.error = {
      code: 'NO_SYSTEM_TITLE',
      message: `ciphered: the sender's system title is unknown (no ${direction === 'server-to-client' ? 'AARE' : 'AARQ'} in the capture); give it`,
    };
    return sec;
  }
  try {
    const res = unprotectApdu(
      bytes,
      { ...keys, ek: (keys.ek ?? keys.dk)! },
      {
        systemTitle: senderTitle,
        acceptPolicies: ['auth', 'enc', 'auth+enc'],
        backend: state.options.backend,
        suite: env.securityControl.suite as 0 | 1 | 2,
      },
    );
    sec.plain = describeApdu(res.plain, direction, state, depth + 1);
  } catch (e) {
    sec.error = errorOf(e);
  }
  return sec;
}

function hdlcNote(f: HdlcFrame): string | undefined {
  const t = f.control.type;
  if (t === 'I' || t === 'UI') return f.segmented ? 'HDLC segment, more follow' : undefined;
  return t;
}

/** The direction the LLC header at the start of an I/UI frame's information field names, if any. */
function llcDirection(f: HdlcFrame): 'command' | 'response' | undefined {
  if ((f.control.type !== 'I' && f.control.type !== 'UI') || !f.info || f.info.length < 3) return undefined;
  try {
    return stripLlc(f.info).direction;
  } catch {
    return undefined;
  }
}

function hdlcDirection(f: HdlcFrame, state: CaptureState): Direction {
  const t = f.control.type;
  // Commands only a client sends; responses only a server sends.
  if (t === 'SNRM' || t === 'DISC') {
    state.hdlcClient = f.source;
    return 'client-to-server';
  }
  if (t === 'UA' || t === 'DM' || t === 'FRMR') {
    state.hdlcClient ??= f.destination;
    return 'server-to-client';
  }
  if (state.hdlcClient) {
    if (sameHdlcAddress(f.source, state.hdlcClient)) return 'client-to-server';
    if (sameHdlcAddress(f.destination, state.hdlcClient)) return 'server-to-client';
  }
  // The LLC header of a first segment says it outright (IEC 62056-46 § 5.2: source LSAP E6 on commands,
  // E7 on responses). It wins over the address sizes: a Landis+Gyr E450 pushes with a two-byte
  // destination (client 103, lower 0x7F) and a one-byte source (server 1).
  const llc = llcDirection(f);
  if (llc === 'response') {
    state.hdlcClient = f.destination;
    return 'server-to-client';
  }
  if (llc === 'command') {
    state.hdlcClient = f.source;
    return 'client-to-server';
  }
  // A client address is one byte; a server address one, two or four.
  if (f.source.size === 1 && f.destination.size > 1) return 'client-to-server';
  if (f.destination.size === 1 && f.source.size > 1) return 'server-to-client';
  return 'unknown';
}

function hdlcAddressText(a: HdlcAddress): string {
  return a.lower === undefined ? `${a.upper}` : `${a.upper}/${a.lower}`;
}

function hdlcSummary(f: HdlcFrame): string {
  const c = f.control;
  let s = `HDLC ${hdlcAddressText(f.source)} → ${hdlcAddressText(f.destination)} ${c.type}`;
  if (c.type === 'I') s += ` N(S)=${c.ns} N(R)=${c.nr}`;
  else if (c.type === 'RR' || c.type === 'RNR') s += ` N(R)=${c.nr}`;
  if (c.pf) s += c.type === 'UA' || c.type === 'DM' || c.type === 'FRMR' ? ' F' : ' P';
  if (f.segmented) s += ' segmented';
  return s;
}

function hdlcEntry(f: HdlcFrame, index: number, offset: number, state: CaptureState): CaptureEntry {
  let direction = hdlcDirection(f, state);
  const json = hdlcFrameToJson(f) as unknown as Record<string, unknown>;
  delete json.info;
  const entry: CaptureEntry = {
    index,
    offset,
    framing: 'hdlc',
    direction,
    summary: hdlcSummary(f),
    link: json,
  };
  const note = hdlcNote(f);
  if (note) entry.note = note;
  if (!f.info || f.info.length === 0 || (f.control.type !== 'I' && f.control.type !== 'UI')) {
    if (f.info && f.info.length > 0 && (f.control.type === 'SNRM' || f.control.type === 'UA')) {
      entry.note = `${f.control.type} with parameters`;
      try {
        entry.parameters = decodeHdlcParameters(f.info);
      } catch (e) {
        entry.error = errorOf(e);
      }
    }
    return entry;
  }
  const whole = state.reassembler(direction).push(f.info, f.segmented);
  if (!whole) return entry;
  let apdu: Uint8Array = whole;
  try {
    apdu = stripLlc(whole).apdu;
  } catch {
    // Not every HDLC profile carries an LLC header (e.g. some UI frames); decode as is.
  }
  if (direction === 'unknown' && apdu.length > 0) {
    direction = directionOfTag(apdu[0]!);
    entry.direction = direction;
    if (direction === 'client-to-server') state.hdlcClient = f.source;
    if (direction === 'server-to-client') state.hdlcClient = f.destination;
  }
  entry.apdu = describeApdu(apdu, direction, state);
  return entry;
}

function wrapperEntry(f: WrapperFrame, index: number, offset: number, state: CaptureState): CaptureEntry {
  let direction: Direction = 'unknown';
  if (state.wrapperClientPort !== undefined) {
    if (f.source === state.wrapperClientPort) direction = 'client-to-server';
    else if (f.destination === state.wrapperClientPort) direction = 'server-to-client';
  }
  if (direction === 'unknown' && f.apdu.length > 0) {
    direction = directionOfTag(f.apdu[0]!);
    if (direction === 'client-to-server') state.wrapperClientPort = f.source;
    if (direction === 'server-to-client') state.wrapperClientPort = f.destination;
  }
  const link = wrapperFrameToJson(f) as unknown as Record<string, unknown>;
  delete link.apdu;
  return {
    index,
    offset,
    framing: 'wrapper',
    direction,
    summary: `wrapper ${f.source} → ${f.destination}`,
    link,
    apdu: describeApdu(f.apdu, direction, state),
  };
}

function detect(bytes: Uint8Array): Framing {
  if (bytes[0] === 0x7e) return 'hdlc';
  if (bytes.length >= 8 && bytes[0] === 0x00 && bytes[1] === 0x01) return 'wrapper';
  return 'apdu';
}

/**
 * Decodes a capture: either one byte stream (frames back to back, as read from a socket or a probe) or a
 * list of frames (e.g. one hex line each). Returns one entry per frame, in order.
 */
export function decodeCapture(
  input: Uint8Array | readonly Uint8Array[],
  options: CaptureOptions = {},
): CaptureEntry[] {
  const state = new CaptureState(options);
  const entries: CaptureEntry[] = [];
  const chunks = input instanceof Uint8Array ? [input] : input;
  chunks.forEach((chunk, chunkIndex) => {
    const base = input instanceof Uint8Array ? 0 : chunkIndex;
    const framing = options.framing && options.framing !== 'auto' ? options.framing : detect(chunk);
    if (framing === 'apdu') {
      const direction = chunk.length > 0 ? directionOfTag(chunk[0]!) : 'unknown';
      entries.push({
        index: entries.length,
        offset: base,
        framing,
        direction,
        summary: 'APDU',
        apdu: describeApdu(chunk, direction, state),
      });
      return;
    }
    const results =
      framing === 'hdlc'
        ? (() => {
            const d = new HdlcDeframer();
            return [...d.push(chunk), ...d.end()];
          })()
        : (() => {
            const d = new WrapperDeframer();
            return [...d.push(chunk), ...d.end()];
          })();
    for (const r of results) {
      const offset = input instanceof Uint8Array ? r.offset : base;
      if (r.kind === 'error') {
        entries.push({
          index: entries.length,
          offset,
          framing,
          direction: 'unknown',
          summary: `${framing === 'hdlc' ? 'HDLC' : 'wrapper'} frame not decoded`,
          error: errorOf(r.error),
        });
        continue;
      }
      entries.push(
        framing === 'hdlc'
          ? hdlcEntry(r.frame as HdlcFrame, entries.length, offset, state)
          : wrapperEntry(r.frame as WrapperFrame, entries.length, offset, state),
      );
    }
  });
  return entries;
}
