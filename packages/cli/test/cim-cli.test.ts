import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVectors } from '@ami-interop/conformance-vectors';
import { describe, expect, it } from 'vitest';
import { ami } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'ami-cim-'));

const run = ami;

const file = loadVectors('cim/messages');
const good = file.vectors.filter((v) => !v.error && v.text);
const bad = file.vectors.filter((v) => v.error && v.text);

describe('ami cim parse | build | validate on the message vectors', () => {
  it('has vectors', () => {
    expect(good.length).toBeGreaterThan(5);
    expect(bad.length).toBeGreaterThan(3);
  });

  for (const v of good) {
    it(`${v.name}: parse gives the vector's model; build gives XML that parses back to it; validate passes`, async () => {
      const xml = join(dir, `${v.name}.xml`);
      writeFileSync(xml, v.text!);
      const parsed = await run(['cim', 'parse', xml]);
      expect(parsed.code, parsed.err).toBe(0);
      const json = JSON.parse(parsed.out);
      expect(json).toEqual(v.decoded);
      const kind = Object.keys(json)[0]!;
      const noun = json[kind].Header?.Noun;
      if (noun === undefined) return; // a FaultMessage has no Header, hence no noun to build for
      const built = await run(['cim', 'build', noun, '--from', 'json'], parsed.out);
      expect(built.code, built.err).toBe(0);
      const again = await run(['cim', 'parse'], built.out);
      expect(JSON.parse(again.out)).toEqual(json);
      const valid = await run(['cim', 'validate', xml]);
      expect(valid.code, valid.out + valid.err).toBe(0);
    });
  }

  for (const v of bad) {
    it(`${v.name}: refused in one line with ${v.error!.code}`, async () => {
      const r = await run(['cim', 'parse'], v.text!);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`^ami: \\[${v.error!.code}\\]`));
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    });
  }

  it('builds a whole EventMessage from only the profile content and a verb', async () => {
    const content = JSON.stringify({
      MeterReading: [
        {
          Meter: { mRID: 'MTR000001' },
          Readings: [
            {
              ReadingType: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
              timeStamp: '2024-04-01T00:00:00+05:30',
              value: '1234.5',
            },
          ],
        },
      ],
    });
    const r = await run(['cim', 'build', 'MeterReadings', '--from', 'json', '--verb', 'created'], content);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('<msg:EventMessage');
    expect(r.out).toContain('http://iec.ch/TC57/2011/MeterReadings#');
    const back = JSON.parse((await run(['cim', 'parse'], r.out)).out);
    expect(back.EventMessage.Header.Verb).toBe('created');
    expect(back.EventMessage.Payload.MeterReadings.MeterReading[0].Meter.mRID).toBe('MTR000001');
  });

  it('refuses a noun that does not match the message, and an unknown noun', async () => {
    const ev = good.find((x) => JSON.stringify(x.decoded).includes('"Noun":"EndDeviceEvents"'))!;
    const r = await run(['cim', 'build', 'MeterReadings', '--from', 'json'], JSON.stringify(ev.decoded));
    expect(r.err).toBe("ami: the message's noun is EndDeviceEvents, not MeterReadings\n");
    expect((await run(['cim', 'build', 'Widgets', '--from', 'json'], '{}')).code).toBe(2);
  });
});
