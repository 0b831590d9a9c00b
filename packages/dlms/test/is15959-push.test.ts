import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeXdlmsApdu } from '../src/apdu/index.ts';
import { bitStringFromBits, type Data } from '../src/axdr/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex } from '../src/internal/hex.ts';
import { decodePush, is15959Catalogue, profileCaptureObjects } from '../src/is15959/index.ts';
import { obisToBytes, parseObis } from '../src/obis/index.ts';
import { protectApdu } from '../src/security/index.ts';

const EK = fromHex('000102030405060708090A0B0C0D0E0F');
const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
const ST = fromHex('4D4D4D0000BC614E');
const CLOCK = fromHex('07E8030F050A0F0000FEB600');
const os = (value: Uint8Array): Data => ({ type: 'octet-string', value });
const ln = (s: string): Data => os(obisToBytes(parseObis(s)));
const text = (s: string): Data => os(new TextEncoder().encode(s));

function notification(body: Data, longInvokeId = 1): Uint8Array {
  return encodeXdlmsApdu({
    type: 'data-notification',
    longInvokeIdAndPriority: {
      longInvokeId,
      selfDescriptive: 'not-self-descriptive',
      processingOption: 'continue-on-error',
      serviceClass: 'unconfirmed',
      priority: 'normal',
    },
    notificationBody: body,
  });
}

/** An instantaneous push of a single-phase meter: device ID, LN, clock, then the profile's columns after its clock. */
function instantaneousBody(): Data {
  const cols = is15959Catalogue({ part: 2, phases: 1 }).profiles.instantaneous.columns.slice(1);
  const values: Data[] = cols.map((c): Data => {
    switch (c.kind) {
      case 'date-time':
        return os(CLOCK);
      case 'boolean':
        return { type: 'boolean', value: true };
      default:
        return { type: 'long-unsigned', value: c.name === 'voltage' ? 2314 : 1 };
    }
  });
  return { type: 'structure', value: [text('DEV0001'), ln('0.0.25.9.0.255'), os(CLOCK), ...values] };
}

describe('decodePush', () => {
  it('decodes a plain instantaneous push into one typed row', () => {
    const r = decodePush(notification(instantaneousBody(), 7), {
      scalerUnits: { '1.0.12.7.0.255': { scaler: -1, unit: 35 } },
    });
    expect(r.pushSetup).toBe('0.0.25.9.0.255');
    expect(r.profile).toBe('instantaneous');
    expect(r.deviceId).toBe('DEV0001');
    expect(r.timestamp).toBe('2024-03-15T10:15:00+05:30');
    expect(r.longInvokeId).toBe(7);
    expect(r.security).toBeUndefined();
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!['timestamp']).toBe('2024-03-15T10:15:00+05:30');
    expect(r.rows[0]!['voltage']).toEqual({ value: 231.4, unit: 'V' });
    expect(r.rows[0]!['mdWTime']).toBe('2024-03-15T10:15:00+05:30');
    expect(r.rows[0]!['relayStatus']).toBe(true);
    expect(Object.keys(r.rows[0]!)).toHaveLength(22);
  });

  it('decodes an alert push (ESW) and names the set bits', () => {
    const esw = bitStringFromBits(`${'0'.repeat(81)}1${'0'.repeat(46)}`);
    const r = decodePush(
      notification({
        type: 'structure',
        value: [text('DEV0001'), ln('0.4.25.9.0.255'), os(CLOCK), { type: 'bit-string', value: esw }],
      }),
    );
    expect(r.profile).toBe('alert');
    expect(r.esw?.set).toEqual([{ bit: 81, name: 'Magnet influence', known: true }]);
  });

  it('decodes a pushed block-load buffer with the profile capture objects', () => {
    const row = (v: number): Data => ({
      type: 'structure',
      value: [
        os(CLOCK),
        { type: 'long-unsigned', value: v },
        ...Array.from({ length: 6 }, (): Data => ({ type: 'double-long-unsigned', value: 3 })),
      ],
    });
    const r = decodePush(
      notification({
        type: 'structure',
        value: [
          text('DEV0001'),
          ln('0.5.25.9.0.255'),
          os(CLOCK),
          { type: 'array', value: [row(2301), row(2299)] },
        ],
      }),
      { scalerUnits: { '1.0.12.27.0.255': { scaler: -1, unit: 35 } } },
    );
    expect(r.profile).toBe('blockLoad');
    expect(r.rows.map((x) => x['avgVoltage'])).toEqual([
      { value: 230.1, unit: 'V' },
      { value: 229.9, unit: 'V' },
    ]);
  });

  it('maps push setups by configuration (billing B field, explicit push_object_list)', () => {
    const body: Data = {
      type: 'structure',
      value: [text('DEV0001'), ln('0.132.25.9.0.255'), os(CLOCK), { type: 'long-unsigned', value: 2314 }],
    };
    // Not in the default mapping of a variant whose billing push is 0.103: kept under generic names.
    expect(decodePush(notification(body)).profile).toBe('unknown');
    const cat = is15959Catalogue({ part: 2, phases: 1 });
    const list = [
      ...profileCaptureObjects(cat.profiles.namePlate).slice(1, 2),
      { classId: 40, logicalName: parseObis('0.132.25.9.0.255'), attributeIndex: 1, dataIndex: 0 },
      ...profileCaptureObjects(cat.profiles.instantaneous).slice(0, 2),
    ];
    const r = decodePush(notification(body), {
      mapping: { '0.132.25.9.0.255': { profile: 'billing', pushObjectList: list } },
      scalerUnits: { '1.0.12.7.0.255': { scaler: -1, unit: 35 } },
    });
    expect(r.profile).toBe('billing');
    expect(r.rows[0]).toMatchObject({
      deviceId: 'DEV0001',
      timestamp: '2024-03-15T10:15:00+05:30',
      voltage: { value: 231.4, unit: 'V' },
    });
  });

  it('decodes a general-glo-ciphered push with the Push association keys; a wrong key is AUTHENTICATION_FAILED', () => {
    const plain = notification(instantaneousBody());
    const ciphered = protectApdu(plain, {
      policy: 'auth+enc',
      kind: 'general-glo',
      ek: EK,
      ak: AK,
      systemTitle: ST,
      invocationCounter: 0x01234567,
    });
    expect(ciphered[0]).toBe(0xdb);
    const r = decodePush(ciphered, { keys: { ek: EK, ak: AK } });
    expect(r.security).toEqual({
      kind: 'general-glo',
      invocationCounter: 0x01234567,
      systemTitle: '4D4D4D0000BC614E',
    });
    expect(r.profile).toBe('instantaneous');
    expect(r.deviceId).toBe('DEV0001');
    const wrong = EK.slice();
    wrong[0]! ^= 1;
    expect(() => decodePush(ciphered, { keys: { ek: wrong, ak: AK } })).toThrow(
      expect.objectContaining({ code: 'AUTHENTICATION_FAILED' }),
    );
    expect(() => decodePush(ciphered)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() =>
      decodePush(ciphered, { keys: { ek: EK, ak: AK }, systemTitle: fromHex('0000000000000000') }),
    ).toThrow(expect.objectContaining({ code: 'AUTHENTICATION_FAILED' }));
  });

  it('refuses bodies that do not match their mapping, and other APDUs', () => {
    const short: Data = {
      type: 'structure',
      value: [text('D'), ln('0.0.25.9.0.255'), os(CLOCK), { type: 'long-unsigned', value: 1 }],
    };
    expect(() => decodePush(notification(short))).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    expect(() => decodePush(fromHex('C001C100080000010000FF0200'))).toThrow(
      expect.objectContaining({ code: 'MALFORMED' }),
    );
    expect(() => decodePush(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'INCOMPLETE' }));
  });

  it('every strict prefix of a push is INCOMPLETE, and random bytes give only DlmsError (property)', () => {
    const bytes = notification(instantaneousBody());
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodePush(bytes.subarray(0, n))).toThrow(expect.objectContaining({ code: 'INCOMPLETE' }));
    }
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.nat(bytes.length - 1),
        fc.integer({ min: 0, max: 255 }),
        (junk, at, b) => {
          for (const input of [
            junk,
            Uint8Array.of(0x0f, ...junk),
            (() => {
              const m = bytes.slice();
              m[at] = b;
              return m;
            })(),
          ]) {
            try {
              decodePush(input, { keys: { ek: EK, ak: AK } });
            } catch (e) {
              expect(isDlmsError(e), String(e)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
