import type { Vector } from '@ami-interop/conformance-vectors';
import { runConformance } from '@ami-interop/conformance-vectors/vitest';
import {
  type AckMessage,
  baudRateChar,
  baudRateOf,
  decodeAckMessage,
  decodeIdentificationMessage,
  decodeRequestMessage,
  encodeAckMessage,
  encodeIdentificationMessage,
  encodeRequestMessage,
  type IdentificationMessage,
  MODE_E_INITIAL_LINE,
  ModeESignOn,
  type RequestMessage,
  shortReactionTime,
  supportsModeE,
} from '@ami-interop/dlms/optical';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDlmsError, toHex } from '../src/index.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const kind = (v: Vector) => v.params?.['message'] as 'request' | 'identification' | 'ack';

runConformance('dlms/optical', {
  decode: (bytes, v) =>
    kind(v) === 'request'
      ? decodeRequestMessage(bytes)
      : kind(v) === 'identification'
        ? decodeIdentificationMessage(bytes)
        : decodeAckMessage(bytes),
  encode: (d, v) =>
    kind(v) === 'request'
      ? encodeRequestMessage(d as RequestMessage)
      : kind(v) === 'identification'
        ? encodeIdentificationMessage(d as IdentificationMessage)
        : encodeAckMessage(d as AckMessage),
  errorCode: codeOf,
  errorOffset: (e) => (isDlmsError(e) ? e.offset : undefined),
});

describe('IEC 62056-21 messages', () => {
  it('maps the mode C/E baud-rate characters', () => {
    expect(['0', '1', '2', '3', '4', '5', '6'].map(baudRateOf)).toEqual([
      300, 600, 1200, 2400, 4800, 9600, 19200,
    ]);
    expect(baudRateOf('7')).toBeUndefined();
    expect(baudRateOf('constructor')).toBeUndefined();
    expect(baudRateChar(9600)).toBe('5');
  });

  it('enters mode E with ACK 2 Z 2 CR LF', () => {
    expect(toHex(encodeAckMessage({ protocol: '2', baudChar: '5', mode: '2' }))).toBe('063235320D0A');
  });

  it('reads capabilities from the identification', () => {
    const id = decodeIdentificationMessage(ascii('/XYz6\\2ID\r\n'));
    expect(supportsModeE(id)).toBe(true);
    expect(shortReactionTime(id)).toBe(true);
    expect(supportsModeE(decodeIdentificationMessage(ascii('/ABC4METER\r\n')))).toBe(false);
  });

  it('round-trips identification messages and types every failure on random input', () => {
    const chars = fc.constantFrom(...'ABCXYZabcxyz0123456789-. '.split(''));
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcz'.split(''));
    fc.assert(
      fc.property(
        fc.tuple(letter, letter, letter).map((t) => t.join('')),
        fc.constantFrom('0', '1', '2', '3', '4', '5', '6', 'A'),
        fc.array(fc.constantFrom('2', '0', '9'), { maxLength: 2 }),
        fc.array(chars, { maxLength: 16 }).map((a) => a.join('')),
        (manufacturer, baudChar, enhanced, identification) => {
          const m = { manufacturer, baudChar, enhanced, identification };
          expect(decodeIdentificationMessage(encodeIdentificationMessage(m))).toEqual(m);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 30 }), (b) => {
        for (const f of [decodeRequestMessage, decodeIdentificationMessage, decodeAckMessage]) {
          try {
            f(b);
          } catch (e) {
            expect(isDlmsError(e)).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('ModeESignOn', () => {
  it('sends the request at 300 Bd 7E1, then acknowledges and switches to 8N1 at the offered rate', () => {
    const s = new ModeESignOn({ address: '42' });
    const start = s.start();
    expect(toHex(start.bytes)).toBe(toHex(ascii('/?42!\r\n')));
    expect(start.line).toEqual({ baud: 300, dataBits: 7, parity: 'even', stopBits: 1 });
    expect(MODE_E_INITIAL_LINE.baud).toBe(300);
    // the optical head echoes the request; then the identification arrives in pieces
    expect(s.onBytes(ascii('/?42!\r\n/AB')).kind).toBe('wait');
    const step = s.onBytes(ascii('C5\\2METER\r\n'));
    expect(step.kind).toBe('switch');
    if (step.kind !== 'switch') return;
    expect(toHex(step.bytes)).toBe('063235320D0A');
    expect(step.line).toEqual({ baud: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    expect(step.identification.manufacturer).toBe('ABC');
    expect(s.state).toBe('done');
  });

  it('caps the rate at maxBaud and strips a parity bit', () => {
    const s = new ModeESignOn({ maxBaud: 4800 });
    s.start();
    const step = s.onBytes(ascii('/ABC6\\2X\r\n').map((b) => b | 0x80));
    expect(step.kind === 'switch' && [toHex(step.bytes), step.line.baud]).toEqual(['063234320D0A', 4800]);
  });

  it('fails typed when the meter has no mode E, sends garbage, or talks too long', () => {
    const a = new ModeESignOn();
    a.start();
    const r = a.onBytes(ascii('/ABC5METER\r\n'));
    expect(r.kind === 'failed' && r.error.code).toBe('UNSUPPORTED');
    const b = new ModeESignOn();
    b.start();
    const r2 = b.onBytes(ascii('/A1C5\\2\r\n'));
    expect(r2.kind === 'failed' && r2.error.code).toBe('MALFORMED');
    const c = new ModeESignOn();
    c.start();
    const r3 = c.onBytes(ascii(`/${'A'.repeat(100)}`));
    expect(r3.kind === 'failed' && r3.error.code).toBe('LIMIT_EXCEEDED');
    expect(c.onBytes(ascii('x')).kind).toBe('failed');
  });
});
