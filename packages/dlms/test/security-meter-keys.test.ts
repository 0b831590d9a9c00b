import { describe, expect, it } from 'vitest';
import { isDlmsError } from '../src/errors.ts';
import { fromHex } from '../src/internal/hex.ts';
import { type MeterKeyRecord, MeterKeyStore } from '../src/security/index.ts';

const HES = fromHex('414D490000000001');
const rec = (
  serial: string,
  title: string,
  counters: MeterKeyRecord['invocationCounters'] = [],
): MeterKeyRecord => ({
  serial,
  systemTitle: fromHex(title),
  guek: fromHex('000102030405060708090A0B0C0D0E0F'),
  gak: fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF'),
  kek: fromHex('00112233445566778899AABBCCDDEEFF'),
  hlsUtilitySettings: new TextEncoder().encode('hlsus123'),
  llsSecret: new TextEncoder().encode('lls12345'),
  invocationCounters: counters,
});

describe('MeterKeyStore', () => {
  it('gives an association its keys and a counter store whose first counter is above the key file one', async () => {
    const store = new MeterKeyStore([
      rec('SN1', '4D4D4D0000BC614E', [{ clientSap: 48, counter: 0x01234566 }]),
    ]);
    const a = store.association('SN1', 48, HES);
    expect(a.security.ek).toEqual(fromHex('000102030405060708090A0B0C0D0E0F'));
    expect(a.security.serverSystemTitle).toEqual(fromHex('4D4D4D0000BC614E'));
    expect(new TextDecoder().decode(a.secret)).toBe('hlsus123');
    // The Green Book example's counter 01234567 is the next one after 01234566.
    expect(await a.security.counters.next(HES, 'global-unicast')).toBe(0x01234567);
    // Another association starts from 0 (nothing recorded for it).
    expect(await store.association('SN1', 32, HES).security.counters.next(HES, 'global-unicast')).toBe(0);
    expect(new TextDecoder().decode(store.association('SN1', 32, HES).password)).toBe('lls12345');
  });

  it('finds a meter by system title (from an AARE or a push)', () => {
    const store = new MeterKeyStore([rec('SN1', '4D4D4D0000BC614E'), rec('SN2', '4D4D4D0000BC614F')]);
    expect(store.bySystemTitle(fromHex('4D4D4D0000BC614F'))?.serial).toBe('SN2');
    expect(store.size).toBe(2);
  });

  it('refuses duplicates, wrong key lengths and unknown meters with typed errors', () => {
    const refuse = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(isDlmsError(e, 'INVALID_ARGUMENT')).toBe(true);
        return;
      }
      expect.unreachable();
    };
    refuse(() => new MeterKeyStore([rec('SN1', '4D4D4D0000BC614E'), rec('SN1', '4D4D4D0000BC6140')]));
    refuse(() => new MeterKeyStore([rec('SN1', '4D4D4D0000BC614E'), rec('SN2', '4D4D4D0000BC614E')]));
    refuse(() => new MeterKeyStore([{ ...rec('SN1', '4D4D4D0000BC614E'), guek: new Uint8Array(15) }]));
    refuse(() => new MeterKeyStore([rec('SN1', '4D4D4D0000BC614E')]).association('SN9', 48, HES));
  });
});
