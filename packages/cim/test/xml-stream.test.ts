import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EventMessage, MESSAGE_NS_ED1, MESSAGE_TYPES, type Message } from '../src/envelope/index.ts';
import { isCimError } from '../src/errors.ts';
import { type MeterReading, MeterReadingsType, MeterReadingType } from '../src/profiles/index.ts';
import type { DecodeOptions } from '../src/xml/decode.ts';
import {
  fromXml,
  type MeterReadingsStreamItem,
  readMeterReadingsStream,
  toXml,
  writeMeterReadingsStream,
} from '../src/xml/index.ts';
import { foreignArb, insertForeign } from './foreign-elements.ts';
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
  const msg = { ...env.message } as Record<string, unknown>;
  let hasMr = false;
  for (const i of items) {
    if (i.kind === 'envelope') continue;
    if (i.kind === 'payload') rest = i.value;
    else if (i.kind === 'unknown' && i.parent === 'message') {
      msg.$any = [...((msg.$any as unknown[] | undefined) ?? []), i.value];
    } else {
      const key = i.kind === 'unknown' ? '$any' : i.kind;
      mr[key] ??= [];
      mr[key]!.push(i.value);
      hasMr = true;
    }
  }
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

// ---------------------------------------------------------------------------------------------------------
// Unknown elements: the streaming reader follows fromXml's `unknownElements` (default preserve).

async function outcome(run: () => Promise<unknown> | unknown): Promise<{ ok: unknown } | { code: string }> {
  try {
    return { ok: await run() };
  } catch (e) {
    if (isCimError(e)) return { code: e.code };
    throw e;
  }
}

const payloadKinds = ['RequestMessage', 'ResponseMessage', 'EventMessage'] as const;

describe('streaming MeterReadings: unknown elements as fromXml', () => {
  it('foreign elements inserted anywhere: the stream reassembles to fromXml, same option, nothing lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...payloadKinds)
          .chain((kind) =>
            fc.tuple(
              fc.constant(kind),
              complexArb(MESSAGE_TYPES[kind], {}, 2),
              complexArb(MeterReadingsType, {}, 1),
              fc.array(complexArb(MeterReadingType, {}, 1), { minLength: 1, maxLength: 3 }),
              fc.option(fc.constantFrom('XML', 'x'), { nil: undefined }),
            ),
          ),
        fc.array(fc.tuple(fc.nat(), foreignArb), { maxLength: 5 }),
        fc.constantFrom<DecodeOptions['unknownElements'] | undefined>(undefined, 'preserve', 'keep', 'skip'),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 4 }),
        async ([kind, head, ref, readings, format], inserts, mode, pretty, sizes) => {
          const { Payload: _p, ...rest } = head;
          const whole = {
            kind,
            ...rest,
            Payload: {
              MeterReadings: { ...ref, MeterReading: readings },
              ...(format === undefined ? {} : { Format: format }),
            },
          } as unknown as Message;
          const text = insertForeign(toXml(whole, { pretty }), inserts);
          const options = mode === undefined ? {} : { unknownElements: mode };
          const expected = await outcome(() => fromXml(text, options));
          const got = await outcome(async () =>
            assemble(await collect(readMeterReadingsStream(chunked(text, sizes), options))),
          );
          expect(got).toEqual(expected);
          if ('ok' in expected) {
            const json = JSON.stringify(expected.ok);
            for (let i = 0; i < inserts.length; i++) {
              // Kept (preserve, keep) or dropped (skip), never anything in between.
              expect(json.includes(`"local":"Ext${i}"`), `Ext${i} in ${mode}`).toBe(mode !== 'skip');
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  const base = toXml({
    ...envelope,
    Payload: { MeterReadings: { MeterReading: [{ Meter: { mRID: 'M1' } }] }, Format: 'XML' },
  } as Message);
  const vendor = '<v:Tag xmlns:v="urn:vendor" a="1"><v:Sub>x</v:Sub></v:Tag>';
  const read = (text: string, options = {}) => collect(readMeterReadingsStream(chunked(text, [11]), options));
  const codeOf = (text: string, options = {}) =>
    read(text, options).then(
      () => undefined,
      (e) => (isCimError(e) ? e.code : `untyped: ${String(e)}`),
    );

  it('yields an element directly inside MeterReadings as an unknown item, in order, as fromXml keeps it', async () => {
    const text = base.replace('<m:MeterReading>', `${vendor}<m:MeterReading>`);
    const items = await read(text);
    expect(items.map((i) => i.kind)).toEqual(['envelope', 'unknown', 'MeterReading', 'payload']);
    const unknown = items[1]!;
    expect(unknown).toEqual({
      kind: 'unknown',
      parent: 'MeterReadings',
      index: 0,
      value: {
        ns: 'urn:vendor',
        local: 'Tag',
        attrs: [{ ns: '', local: 'a', value: '1' }],
        children: [{ ns: 'urn:vendor', local: 'Sub', text: 'x' }],
      },
    });
    expect(
      (fromXml(text) as unknown as { Payload: { MeterReadings: { $any: unknown[] } } }).Payload.MeterReadings
        .$any,
    ).toEqual([unknown.kind === 'unknown' && unknown.value]);
    expect((await read(text, { unknownElements: 'skip' })).map((i) => i.kind)).toEqual([
      'envelope',
      'MeterReading',
      'payload',
    ]);
  });

  it('keeps unknown elements inside a MeterReading, the Header and the Payload (the items’ own $any)', async () => {
    const text = base
      .replace('<m:Meter>', `${vendor}<m:Meter>`)
      .replace('<msg:Verb>', `${vendor}<msg:Verb>`)
      .replace('<msg:Format>', '<msg:Extra>1</msg:Extra><msg:Format>');
    const items = await read(text);
    const env = items.find((i) => i.kind === 'envelope');
    const mr = items.find((i) => i.kind === 'MeterReading');
    const pl = items.find((i) => i.kind === 'payload');
    expect(
      env?.kind === 'envelope' && (env.message as { Header: { $any?: unknown[] } }).Header.$any,
    ).toHaveLength(1);
    expect(mr?.kind === 'MeterReading' && (mr.value as { $any?: unknown[] }).$any).toHaveLength(1);
    expect(pl?.kind === 'payload' && pl.value).toEqual({
      Format: 'XML',
      $any: [{ ns: MESSAGE_NS_ED1, local: 'Extra', text: '1' }],
    });
    expect(assemble(items)).toEqual(fromXml(text));
  });

  it('an element in the message root after the Payload is an unknown item; a known one there is UNSUPPORTED', async () => {
    const after = base.replace('</msg:EventMessage>', `${vendor}</msg:EventMessage>`);
    const items = await read(after);
    expect(items.map((i) => i.kind)).toEqual(['envelope', 'MeterReading', 'unknown', 'payload']);
    expect(items[2]).toMatchObject({ kind: 'unknown', parent: 'message', index: 0 });
    expect(assemble(items)).toEqual(fromXml(after));
    // fromXml accepts any order; the stream has already yielded the envelope.
    const request = toXml({
      kind: 'RequestMessage',
      Header: { Verb: 'create', Noun: 'MeterReadings' },
      Request: { StartTime: '2024-04-01T00:00:00Z' },
      Payload: { MeterReadings: { MeterReading: [{ Meter: { mRID: 'M1' } }] } },
    } as Message);
    const part = /<msg:Request>.*<\/msg:Request>/.exec(request)![0];
    const moved = request.replace(part, '').replace('</msg:RequestMessage>', `${part}</msg:RequestMessage>`);
    expect(fromXml(moved)).toEqual(fromXml(request));
    expect(await codeOf(request)).toBeUndefined();
    expect(await codeOf(moved)).toBe('UNSUPPORTED');
    // A Header after the Payload: the envelope, decoded when the Payload starts, has none.
    const header = /<msg:Header>.*<\/msg:Header>/.exec(base)![0];
    const late = base.replace(header, '').replace('</msg:EventMessage>', `${header}</msg:EventMessage>`);
    expect(await codeOf(late)).toBe('MISSING_FIELD');
  });

  it('refuses a second Payload or MeterReadings (INVALID_VALUE) and an unregistered profile (UNKNOWN_NOUN), as fromXml', async () => {
    const payload = /<msg:Payload>.*<\/msg:Payload>/.exec(base)![0];
    const twoPayloads = base.replace(payload, payload + payload);
    const mrs = /<m:MeterReadings[^>]*>.*<\/m:MeterReadings>/.exec(base)![0];
    const twoMrs = base.replace(mrs, mrs + mrs);
    const profile = base.replace('<msg:Format>', `${vendor}<msg:Format>`);
    for (const [text, code] of [
      [twoPayloads, 'INVALID_VALUE'],
      [twoMrs, 'INVALID_VALUE'],
      [profile, 'UNKNOWN_NOUN'],
    ] as const) {
      expect(await codeOf(text)).toBe(code);
      expect((await outcome(() => fromXml(text))) as unknown).toEqual({ code });
    }
    // The unregistered profile is refused before the readings that follow it are yielded.
    const early = base.replace('<m:MeterReadings', `${vendor}<m:MeterReadings`);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const i of readMeterReadingsStream([early])) seen.push(i.kind);
      })(),
    ).rejects.toMatchObject({ code: 'UNKNOWN_NOUN', path: ['Payload', 'Tag'] });
    expect(seen).toEqual(['envelope']);
    // keep: kept in the Payload's $any.
    const items = await read(profile, { unknownElements: 'keep' });
    expect(assemble(items)).toEqual(fromXml(profile, { unknownElements: 'keep' }));
  });

  it('bounds what it holds: maxItemElements counts a MeterReading, and the Payload and envelope over all their parts', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `<msg:X${i}/>`).join('');
    const payloadHeavy = base.replace('<msg:Format>', `${many(30)}<msg:Format>`);
    expect(await codeOf(payloadHeavy, { maxItemElements: 20 })).toBe('LIMIT_EXCEEDED');
    expect(await codeOf(payloadHeavy, { maxItemElements: 40 })).toBeUndefined();
    const envelopeHeavy = base.replace('<msg:Header>', `${many(30)}<msg:Header>`);
    expect(await codeOf(envelopeHeavy, { maxItemElements: 20 })).toBe('LIMIT_EXCEEDED');
    // Unknown items between the readings are yielded and let go: each counts on its own.
    const mrHeavy = base.replace(
      '<m:MeterReading>',
      `${Array.from({ length: 30 }, () => vendor).join('')}<m:MeterReading>`,
    );
    const items = await read(mrHeavy, { maxItemElements: 20 });
    expect(items.filter((i) => i.kind === 'unknown')).toHaveLength(30);
  });
});
