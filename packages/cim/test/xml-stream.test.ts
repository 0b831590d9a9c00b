import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventMessage, Message } from '../src/envelope/index.ts';
import { isCimError } from '../src/errors.ts';
import { type MeterReading, MeterReadingsType, MeterReadingType } from '../src/profiles/index.ts';
import {
  fromXml,
  type MeterReadingsStreamItem,
  readMeterReadingsStream,
  toXml,
  writeMeterReadingsStream,
} from '../src/xml/index.ts';
import { complexArb } from './xml-arbitraries.ts';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function chunked(text: string, sizes: number[]): string[] {
  const out: string[] = [];
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = Math.max(1, sizes[k++ % Math.max(1, sizes.length)] ?? 7);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Reassembles the message the stream describes. */
function assemble(items: MeterReadingsStreamItem[]): Message {
  const env = items.find((i) => i.kind === 'envelope');
  if (env?.kind !== 'envelope') throw new Error('no envelope');
  const mr: Record<string, unknown[]> = {};
  let rest = {};
  for (const i of items) {
    if (i.kind === 'envelope') continue;
    if (i.kind === 'payload') rest = i.value;
    else {
      mr[i.kind] ??= [];
      mr[i.kind]!.push(i.value);
    }
  }
  const hasMr = items.some((i) => i.kind !== 'envelope' && i.kind !== 'payload');
  const msg = { ...env.message } as Record<string, unknown>;
  if (hasMr || Object.keys(rest).length > 0) msg.Payload = { MeterReadings: mr, ...rest };
  return msg as unknown as Message;
}

const envelope: Omit<EventMessage, 'Payload'> = {
  kind: 'EventMessage',
  Header: { Verb: 'created', Noun: 'MeterReadings', Timestamp: '2024-04-01T00:00:00+05:30', Source: 'HES' },
};

describe('streaming MeterReadings', () => {
  it('the streamed text equals toXml of the whole message (compact and pretty, any batch)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(complexArb(MeterReadingType, {}, 1), { maxLength: 4 }),
        complexArb(MeterReadingsType, {}, 1),
        fc.boolean(),
        fc.integer({ min: 1, max: 3 }),
        async (readings, ref, pretty, batch) => {
          const { MeterReading: _x, ...referenceData } = ref;
          const whole: Message = {
            ...envelope,
            Payload: {
              MeterReadings: {
                ...referenceData,
                ...(readings.length ? { MeterReading: readings } : {}),
              } as never,
              Format: 'XML',
            },
          };
          const chunks = await collect(
            writeMeterReadingsStream(envelope, readings as MeterReading[], {
              pretty,
              batch,
              referenceData,
              format: 'XML',
            }),
          );
          expect(chunks.join('')).toBe(toXml(whole, { pretty }));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('the streaming reader yields what fromXml reads, whatever the chunking (text or bytes)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(complexArb(MeterReadingType, {}, 1), { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        fc.constantFrom(['msg', 'm'], ['', 'ns2'], ['a', '']),
        async (readings, sizes, bytes, [mp, pp]) => {
          const whole = { ...envelope, Payload: { MeterReadings: { MeterReading: readings } } } as Message;
          const text = toXml(whole, { pretty: true, messagePrefix: mp, profilePrefix: pp });
          const parts = chunked(text, sizes);
          // Byte chunks cut anywhere, including inside multi-byte UTF-8 sequences.
          const all = new TextEncoder().encode(text);
          const byteParts: Uint8Array[] = [];
          for (let i = 0, k = 0; i < all.length; k++) {
            const n = sizes[k % sizes.length]!;
            byteParts.push(all.subarray(i, i + n));
            i += n;
          }
          const src = bytes ? byteParts : parts;
          const items = await collect(readMeterReadingsStream(src));
          expect(items[0]!.kind).toBe('envelope');
          expect(assemble(items)).toEqual(fromXml(text));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('yields the first reading before the source is exhausted (no whole-document buffering)', async () => {
    const readings = Array.from(
      { length: 50 },
      (_, i): MeterReading => ({
        Meter: { mRID: `M${i}` },
        IntervalBlocks: [
          {
            ReadingType: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
            IntervalReadings: [{ timeStamp: '2024-04-01T00:15:00Z', value: String(i) }],
          },
        ],
      }),
    );
    let pulled = 0;
    async function* source() {
      for await (const c of writeMeterReadingsStream(envelope, readings)) {
        pulled++;
        yield c;
      }
    }
    const it = readMeterReadingsStream(source());
    const first = await it.next();
    expect(first.value?.kind).toBe('envelope');
    const second = await it.next();
    expect(second.value).toMatchObject({ kind: 'MeterReading', index: 0 });
    expect(pulled).toBeLessThan(5);
    const rest = await collect({ [Symbol.asyncIterator]: () => it });
    expect(rest.filter((r) => r.kind === 'MeterReading')).toHaveLength(49);
  });

  it('500 meters × 96 intervals: write and read back streaming', async () => {
    const start = Date.parse('2024-04-01T00:00:00Z');
    function* readings(): Generator<MeterReading> {
      for (let m = 0; m < 500; m++) {
        yield {
          Meter: { mRID: `MTR${String(m).padStart(6, '0')}` },
          IntervalBlocks: [
            {
              ReadingType: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
              IntervalReadings: Array.from({ length: 96 }, (_, i) => ({
                timeStamp: `${new Date(start + (i + 1) * 900_000).toISOString().slice(0, 19)}Z`,
                value: (((m * 96 + i) % 1000) / 100).toFixed(2),
              })),
            },
          ],
        };
      }
    }
    let n = 0;
    let intervals = 0;
    for await (const item of readMeterReadingsStream(
      writeMeterReadingsStream(envelope, readings(), { batch: 10 }),
    )) {
      if (item.kind === 'MeterReading') {
        expect(item.value.Meter?.mRID).toBe(`MTR${String(n).padStart(6, '0')}`);
        intervals += item.value.IntervalBlocks![0]!.IntervalReadings!.length;
        n++;
      }
    }
    expect(n).toBe(500);
    expect(intervals).toBe(500 * 96);
  });

  it('refuses what fromXml refuses, with the same codes', async () => {
    const base = toXml({
      ...envelope,
      Payload: { MeterReadings: { MeterReading: [{ Readings: [{ ReadingType: '1' }] }] } },
    } as Message);
    const codeOf = async (text: string, size = 13) =>
      collect(readMeterReadingsStream(chunked(text, [size]))).then(
        () => undefined,
        (e) => (isCimError(e) ? e.code : `untyped: ${String(e)}`),
      );
    expect(await codeOf(`<!DOCTYPE x [<!ENTITY a "b">]>${base}`)).toBe('FORBIDDEN_CONSTRUCT');
    expect(await codeOf(base.replace('2011/schema/message', '2010/schema/message'))).toBe('WRONG_NAMESPACE');
    expect(await codeOf(base.replace('>created<', '>show<'))).toBe('UNKNOWN_VERB');
    expect(await codeOf(base.replace('<msg:Noun>MeterReadings</msg:Noun>', ''))).toBe('MISSING_FIELD');
    expect(await codeOf(base.slice(0, -5))).toBe('MALFORMED_XML');
    expect(await codeOf(`${base}<x/>`)).toBe('MALFORMED_XML');
    expect(await codeOf(base.replace('ref="1"', 'ref=1'))).toBe('MALFORMED_XML');
    expect(await codeOf(base.replace('</m:Readings>', '</m:Reading>'))).toBe('MALFORMED_XML');
    expect(await codeOf(base.replace('<m:Readings>', '<m:Readings><m:value>&lol;</m:value>'))).toBe(
      'MALFORMED_XML',
    );
    // The path of a bad reading is reported.
    const bad = base.replace(' ref="1"', '');
    const err = await collect(readMeterReadingsStream([bad])).catch((e) => e);
    expect(isCimError(err) && err.path).toEqual([
      'Payload',
      'MeterReadings',
      'MeterReading',
      0,
      'Readings',
      0,
      'ReadingType',
      'ref',
    ]);
  });

  it('random input and random truncations only ever throw CimError', async () => {
    const base = toXml({
      ...envelope,
      Payload: { MeterReadings: { MeterReading: [{ Meter: { mRID: 'x' } }] } },
    } as Message);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 80 }),
        fc.nat(base.length),
        fc.integer({ min: 1, max: 30 }),
        async (junk, cut, size) => {
          for (const t of [junk, base.slice(0, cut), base.slice(0, cut) + junk + base.slice(cut)]) {
            try {
              await collect(readMeterReadingsStream(chunked(t, [size])));
            } catch (e) {
              expect(isCimError(e), String(e)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
