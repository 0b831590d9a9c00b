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

describe('ami cim parse --unknown-elements', () => {
  const vendor = '<v:Tag xmlns:v="urn:vendor" a="1">x</v:Tag>';
  const xml = (header: string, payload: string) =>
    '<msg:EventMessage xmlns:msg="http://iec.ch/TC57/2011/schema/message">' +
    `<msg:Header><msg:Verb>created</msg:Verb><msg:Noun>MeterReadings</msg:Noun>${header}</msg:Header>` +
    `<msg:Payload>${payload}</msg:Payload></msg:EventMessage>`;
  const readings =
    '<m:MeterReadings xmlns:m="http://iec.ch/TC57/2011/MeterReadings#"><m:MeterReading>' +
    `<m:Meter><m:mRID>M1</m:mRID></m:Meter>${vendor}</m:MeterReading></m:MeterReadings>`;
  const kept = { ns: 'urn:vendor', local: 'Tag', attrs: [{ ns: '', local: 'a', value: '1' }], text: 'x' };

  it('preserve (the default) prints unknown elements in $any; skip leaves them out; build takes $any back', async () => {
    const text = xml(vendor, readings);
    const byDefault = await run(['cim', 'parse'], text);
    expect(byDefault.code, byDefault.err).toBe(0);
    const json = JSON.parse(byDefault.out).EventMessage;
    expect(json.Header.$any).toEqual([kept]);
    expect(json.Payload.MeterReadings.MeterReading[0].$any).toEqual([kept]);
    const explicit = await run(['cim', 'parse', '--unknown-elements', 'preserve'], text);
    expect(explicit.out).toBe(byDefault.out);
    const skipped = await run(['cim', 'parse', '--unknown-elements', 'skip'], text);
    expect(skipped.code, skipped.err).toBe(0);
    expect(skipped.out).not.toContain('$any');
    expect(JSON.parse(skipped.out).EventMessage.Header).toEqual({ Verb: 'created', Noun: 'MeterReadings' });
    // JSON → XML → JSON keeps them.
    const built = await run(['cim', 'build', 'MeterReadings', '--from', 'json'], byDefault.out);
    expect(built.code, built.err).toBe(0);
    expect(built.out).toContain('urn:vendor');
    expect((await run(['cim', 'parse'], built.out)).out).toBe(byDefault.out);
  });

  it('an unregistered Payload element is refused unless keep', async () => {
    const text = xml('', vendor);
    for (const mode of [[], ['--unknown-elements', 'preserve'], ['--unknown-elements', 'skip']]) {
      const r = await run(['cim', 'parse', ...mode], text);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^ami: \[UNKNOWN_NOUN\]/);
    }
    const r = await run(['cim', 'parse', '--unknown-elements', 'keep'], text);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).EventMessage.Payload.$any).toEqual([kept]);
  });

  it('applies to the JSON form too (unknown properties), and refuses a bad mode as a usage error', async () => {
    const text = JSON.stringify({ EventMessage: { Header: { Verb: 'created', Noun: 'X', Vendor: 'v' } } });
    const r = await run(['cim', 'parse'], text);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).EventMessage.Header.$any).toEqual([
      { ns: 'http://iec.ch/TC57/2011/schema/message', local: 'Vendor', text: 'v' },
    ]);
    const skipped = await run(['cim', 'parse', '--unknown-elements', 'skip'], text);
    expect(JSON.parse(skipped.out).EventMessage.Header).toEqual({ Verb: 'created', Noun: 'X' });
    const bad = await run(['cim', 'parse', '--unknown-elements', 'drop'], text);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--unknown-elements takes preserve, keep or skip');
  });
});
