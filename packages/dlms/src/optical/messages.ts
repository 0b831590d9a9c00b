/**
 * IEC 62056-21 messages used to enter **mode E** (HDLC over the optical port), § 6.3 and Annex E:
 *
 * ```text
 * Request            /  ?  [device address]  !  CR LF
 * Identification     /  X X X  Z  [\ W]...  identification  CR LF
 * Ack/option select  ACK  V  Z  Y  CR LF          (ACK = 0x06)
 * ```
 *
 * - `XXX` is the manufacturer's three-letter identification (upper case; a lower-case third letter
 *   means the meter supports a minimum reaction time of 20 ms).
 * - `Z` is the baud-rate character; for modes C and E: `0` 300, `1` 600, `2` 1200, `3` 2400, `4` 4800,
 *   `5` 9600, `6` 19200 Bd.
 * - `\W` is the enhanced identification (capability) character (§ 6.3.2 item 24): `\2` announces that
 *   the binary mode (HDLC, mode E) is available; 0, 1 and 3..9 are reserved.
 * - In the acknowledgement, `V` is the protocol control character (`0` normal, `1` secondary,
 *   `2` HDLC protocol procedure) and `Y` the mode control character (`0` data readout, `1` programming,
 *   `2` binary mode (HDLC)). Entering mode E is therefore `06 32 Z 32 0D 0A`.
 * - The device address has up to 32 characters (digits, capital and small letters, spaces).
 * - The identification has up to 16 printable characters, excluding `/` and `!`.
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

const ACK = 0x06;
const CR = 0x0d;
const LF = 0x0a;

/** Baud rates of the baud-rate character in modes C and E. @since 0.1.0 @category Optical */
export const MODE_E_BAUD_RATES: Readonly<Record<string, number>> = Object.freeze({
  '0': 300,
  '1': 600,
  '2': 1200,
  '3': 2400,
  '4': 4800,
  '5': 9600,
  '6': 19200,
});

/** The baud rate of a mode C/E baud-rate character, or `undefined`. @since 0.1.0 @category Optical */
export function baudRateOf(char: string): number | undefined {
  return Object.hasOwn(MODE_E_BAUD_RATES, char) ? MODE_E_BAUD_RATES[char] : undefined;
}

/** The mode C/E baud-rate character of a baud rate, or `undefined`. @since 0.1.0 @category Optical */
export function baudRateChar(baud: number): string | undefined {
  for (const [c, b] of Object.entries(MODE_E_BAUD_RATES)) if (b === baud) return c;
  return undefined;
}

/** Serial line settings, recorded as data for the serial transport. @since 0.1.0 @category Optical */
export interface SerialLineSettings {
  baud: number;
  dataBits: 7 | 8;
  parity: 'even' | 'none';
  stopBits: 1;
}

/** The line before the switch: 300 Bd, 7 data bits, even parity, 1 stop bit (7E1). */
export const MODE_E_INITIAL_LINE: Readonly<SerialLineSettings> = Object.freeze({
  baud: 300,
  dataBits: 7,
  parity: 'even',
  stopBits: 1,
});

/** The line after the acknowledgement in mode E: the agreed baud rate, 8N1. */
export function modeEHdlcLine(baud: number): SerialLineSettings {
  return { baud, dataBits: 8, parity: 'none', stopBits: 1 };
}

const ascii = (s: string): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
};

function fail(code: 'MALFORMED' | 'INCOMPLETE', message: string, offset: number, what: string): never {
  throw new DlmsError(code, message, { offset, path: [what] });
}

/** Finds the CR LF that ends a message; `INCOMPLETE` when absent (and no stray CR/LF earlier). */
function lineEnd(b: Uint8Array, what: string): number {
  for (let i = 0; i < b.length; i++) {
    if (b[i] === CR) {
      if (i + 1 === b.length) fail('INCOMPLETE', `${what}: input ended after CR`, b.length, what);
      if (b[i + 1] !== LF) fail('MALFORMED', `${what}: CR not followed by LF`, i + 1, what);
      if (i + 2 !== b.length) fail('MALFORMED', `${what}: bytes after CR LF`, i + 2, what);
      return i;
    }
    if (b[i] === LF) fail('MALFORMED', `${what}: LF without CR`, i, what);
  }
  return fail('INCOMPLETE', `${what}: input ended before CR LF`, b.length, what);
}

const isAddressChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x20;
const isPrintable = (c: number): boolean => c >= 0x20 && c <= 0x7e && c !== 0x2f && c !== 0x21;
const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** The request message. @since 0.1.0 @category Optical */
export interface RequestMessage {
  /** Device address (up to 32 characters); absent for the general request `/?!`. */
  address?: string;
}

/** @since 0.1.0 @category Optical */
export function encodeRequestMessage(m: RequestMessage = {}): Uint8Array<ArrayBuffer> {
  const a = m.address ?? '';
  if (a.length > 32) throw new DlmsError('INVALID_ARGUMENT', 'device address longer than 32 characters');
  for (let i = 0; i < a.length; i++)
    if (!isAddressChar(a.charCodeAt(i)))
      throw new DlmsError('INVALID_ARGUMENT', `device address character ${JSON.stringify(a[i])} not allowed`);
  return ascii(`/?${a}!\r\n`);
}

/** @since 0.1.0 @category Optical */
export function decodeRequestMessage(b: Uint8Array): RequestMessage {
  const what = 'request';
  if (b.length >= 1 && b[0] !== 0x2f) fail('MALFORMED', 'request must start with "/"', 0, what);
  if (b.length >= 2 && b[1] !== 0x3f) fail('MALFORMED', 'request must start with "/?"', 1, what);
  let i = 2;
  let address = '';
  for (; i < b.length && b[i] !== 0x21; i++) {
    if (!isAddressChar(b[i]!) || i - 2 >= 32) fail('MALFORMED', 'bad device address character', i, what);
    address += String.fromCharCode(b[i]!);
  }
  if (i >= b.length) fail('INCOMPLETE', 'request: input ended before "!"', b.length, what);
  if (i + 1 < b.length && b[i + 1] !== CR)
    fail('MALFORMED', 'request: CR LF expected after "!"', i + 1, what);
  if (i + 2 < b.length && b[i + 2] !== LF) fail('MALFORMED', 'request: LF expected after CR', i + 2, what);
  if (b.length < i + 3) fail('INCOMPLETE', 'request: input ended before CR LF', b.length, what);
  if (b.length > i + 3) fail('MALFORMED', 'request: bytes after CR LF', i + 3, what);
  return address === '' ? {} : { address };
}

/** The identification message. @since 0.1.0 @category Optical */
export interface IdentificationMessage {
  /** Three letters, as sent (case preserved). */
  manufacturer: string;
  /** The baud-rate character Z. */
  baudChar: string;
  /** The enhanced identification characters W of each `\W`, in order (`'2'` = HDLC available). */
  enhanced: string[];
  /** The identification text (up to 16 characters). */
  identification: string;
}

/** The baud rate announced (modes C/E), or `undefined` for another character. */
export function identificationBaud(m: IdentificationMessage): number | undefined {
  return baudRateOf(m.baudChar);
}

/** True when the identification announces the binary mode (HDLC): an enhanced character `2`. */
export function supportsModeE(m: IdentificationMessage): boolean {
  return m.enhanced.includes('2');
}

/** True when the manufacturer's third letter is lower case: 20 ms minimum reaction time. */
export function shortReactionTime(m: IdentificationMessage): boolean {
  const c = m.manufacturer.charCodeAt(2);
  return c >= 0x61 && c <= 0x7a;
}

/** @since 0.1.0 @category Optical */
export function encodeIdentificationMessage(m: IdentificationMessage): Uint8Array<ArrayBuffer> {
  const bad = (msg: string): never => {
    throw new DlmsError('INVALID_ARGUMENT', `identification message: ${msg}`);
  };
  if (m.manufacturer.length !== 3 || ![0, 1, 2].every((k) => isLetter(m.manufacturer.charCodeAt(k))))
    bad('manufacturer must be three letters');
  if (m.baudChar.length !== 1 || !isPrintable(m.baudChar.charCodeAt(0)) || m.baudChar === '\\')
    bad('baud-rate character must be one printable character');
  for (const w of m.enhanced) if (!/^[0-9]$/.test(w)) bad('enhanced identification characters are digits');
  if (m.identification.length > 16) bad('identification longer than 16 characters');
  for (let i = 0; i < m.identification.length; i++)
    if (!isPrintable(m.identification.charCodeAt(i))) bad('identification has a character not allowed');
  if (m.identification.startsWith('\\')) bad('identification cannot start with "\\"');
  return ascii(
    `/${m.manufacturer}${m.baudChar}${m.enhanced.map((w) => `\\${w}`).join('')}${m.identification}\r\n`,
  );
}

/** @since 0.1.0 @category Optical */
export function decodeIdentificationMessage(b: Uint8Array): IdentificationMessage {
  const what = 'identification';
  if (b.length >= 1 && b[0] !== 0x2f) fail('MALFORMED', 'identification must start with "/"', 0, what);
  for (let k = 1; k <= 3 && k < b.length; k++)
    if (!isLetter(b[k]!)) fail('MALFORMED', 'manufacturer must be three letters', k, what);
  if (b.length >= 5 && !isPrintable(b[4]!)) fail('MALFORMED', 'bad baud-rate character', 4, what);
  const end = lineEnd(b, what);
  if (end < 5) fail('MALFORMED', 'identification message too short', end, what);
  const manufacturer = String.fromCharCode(b[1]!, b[2]!, b[3]!);
  const baudChar = String.fromCharCode(b[4]!);
  const enhanced: string[] = [];
  let i = 5;
  while (i < end && b[i] === 0x5c) {
    const w = b[i + 1]!;
    if (i + 1 >= end || w < 0x30 || w > 0x39)
      fail('MALFORMED', 'enhanced identification "\\" not followed by a digit', i + 1, what);
    enhanced.push(String.fromCharCode(w));
    i += 2;
  }
  if (end - i > 16) fail('MALFORMED', 'identification longer than 16 characters', i + 16, what);
  let identification = '';
  for (; i < end; i++) {
    if (!isPrintable(b[i]!)) fail('MALFORMED', 'identification has a character not allowed', i, what);
    identification += String.fromCharCode(b[i]!);
  }
  return { manufacturer, baudChar, enhanced, identification };
}

/** The acknowledgement / option select message. @since 0.1.0 @category Optical */
export interface AckMessage {
  /** Protocol control character V: `'0'` normal, `'1'` secondary, `'2'` HDLC protocol procedure. */
  protocol: string;
  /** Baud-rate character Z. */
  baudChar: string;
  /** Mode control character Y: `'0'` data readout, `'1'` programming, `'2'` binary mode (HDLC). */
  mode: string;
}

/** The acknowledgement that enters mode E at the given baud-rate character: `ACK 2 Z 2 CR LF`. */
export function modeEAck(baudChar: string): AckMessage {
  return { protocol: '2', baudChar, mode: '2' };
}

/** @since 0.1.0 @category Optical */
export function encodeAckMessage(m: AckMessage): Uint8Array<ArrayBuffer> {
  for (const [k, v] of Object.entries(m))
    if (typeof v !== 'string' || !/^[0-9]$/.test(v))
      throw new DlmsError('INVALID_ARGUMENT', `acknowledgement ${k} must be one digit`);
  return ascii(`\x06${m.protocol}${m.baudChar}${m.mode}\r\n`);
}

/** @since 0.1.0 @category Optical */
export function decodeAckMessage(b: Uint8Array): AckMessage {
  const what = 'acknowledgement';
  if (b.length >= 1 && b[0] !== ACK) fail('MALFORMED', 'acknowledgement must start with ACK (0x06)', 0, what);
  for (let k = 1; k <= 3 && k < b.length; k++)
    if (b[k]! < 0x30 || b[k]! > 0x39) fail('MALFORMED', 'acknowledgement characters are digits', k, what);
  if (b.length >= 5 && b[4] !== CR) fail('MALFORMED', 'acknowledgement: CR expected', 4, what);
  lineEnd(b, what);
  return {
    protocol: String.fromCharCode(b[1]!),
    baudChar: String.fromCharCode(b[2]!),
    mode: String.fromCharCode(b[3]!),
  };
}
