import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_NS_ED1, MESSAGE_NS_ED2, type Message } from '../src/envelope/index.ts';
import { isCimError } from '../src/errors.ts';
import { fromJson, fromJsonComplex, toJson, toJsonValue } from '../src/json/index.ts';
import { MeterReadingsNamespace, MeterReadingType } from '../src/profiles/index.ts';
import { fromXml, toXml } from '../src/xml/index.ts';
import { foreignArb, insertForeign } from './foreign-elements.ts';
import { messageArb } from './xml-arbitraries.ts';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (isCimError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('JSON form', () => {
  it('fromJson(toJson(m)) = m and JSON → model → JSON is stable, for every message kind and profile', () => {
    fc.assert(
      fc.property(messageArb(), (m) => {
        const json = toJson(m);
        const back = fromJson(json);
        expect(back).toEqual(m);
        expect(toJson(back)).toBe(json);
      }),
      { numRuns: 300 },
    );
  });

  it('XML and JSON carry the same model', () => {
    fc.assert(
      fc.property(messageArb(), (m) => {
        expect(fromJson(toJson(fromXml(toXml(m))))).toEqual(m);
      }),
      { numRuns: 100 },
    );
  });

  it('has the documented shape', () => {
    const m: Message = {
      kind: 'EventMessage',
      Header: { Verb: 'created', Noun: 'MeterReadings', AckRequired: false },
      Payload: {
        MeterReadings: {
          MeterReading: [
            {
              Meter: { mRID: 'M1' },
              IntervalBlocks: [
                {
                  ReadingType: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
                  IntervalReadings: [{ timeStamp: '2024-04-01T00:15:00+05:30', value: '0.25' }],
                },
              ],
            },
          ],
        },
      },
    };
    expect(toJsonValue(m)).toEqual({
      EventMessage: {
        Header: { Verb: 'created', Noun: 'MeterReadings', AckRequired: false },
        Payload: {
          MeterReadings: {
            MeterReading: [
              {
                IntervalBlocks: [
                  {
                    IntervalReadings: [{ timeStamp: '2024-04-01T00:15:00+05:30', value: '0.25' }],
                    ReadingType: '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
                  },
                ],
                Meter: { mRID: 'M1' },
              },
            ],
          },
        },
      },
    });
  });

  it.each([
    ['not JSON', '{', 'MALFORMED_JSON'],
    ['not an object', '[]', 'INVALID_VALUE'],
    ['two roots', '{"EventMessage":{},"FaultMessage":{}}', 'INVALID_VALUE'],
    ['unknown kind', '{"Message":{}}', 'INVALID_VALUE'],
    ['missing Noun', '{"EventMessage":{"Header":{"Verb":"created"}}}', 'MISSING_FIELD'],
    ['unknown verb', '{"EventMessage":{"Header":{"Verb":"show","Noun":"X"}}}', 'UNKNOWN_VERB'],
    [
      'boolean as string',
      '{"EventMessage":{"Header":{"Verb":"created","Noun":"X","AckRequired":"true"}}}',
      'INVALID_VALUE',
    ],
    [
      'non-array repeat',
      '{"EventMessage":{"Header":{"Verb":"created","Noun":"X","Property":{"Name":"a"}}}}',
      'INVALID_VALUE',
    ],
    ['unsafe integer', '{"FaultMessage":{"Reply":{"Result":"OK","operationId":1e300}}}', 'INVALID_VALUE'],
  ])('refuses %s with %s', (_n, text, expected) => {
    expect(code(() => fromJson(text))).toBe(expected);
  });

  it('reports the path of a bad value', () => {
    try {
      fromJson(
        '{"EventMessage":{"Header":{"Verb":"created","Noun":"X","Property":[{"Name":"a"},{"Value":"b"}]}}}',
      );
      expect.unreachable();
    } catch (e) {
      expect(isCimError(e) && e.path).toEqual(['EventMessage', 'Header', 'Property', 1, 'Name']);
    }
  });

  it('random JSON never throws anything but CimError', () => {
    fc.assert(
      fc.property(fc.json(), (j) => {
        try {
          fromJson(j);
        } catch (e) {
          expect(isCimError(e), String(e)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Nothing silently dropped: unknown properties and $any.

const event = (header: Record<string, unknown>, payload?: Record<string, unknown>) =>
  JSON.stringify({
    EventMessage: {
      Header: { Verb: 'created', Noun: 'MeterReadings', ...header },
      ...(payload ? { Payload: payload } : {}),
    },
  });

function error(fn: () => unknown): { code: string; path: (string | number)[] } | undefined {
  try {
    fn();
  } catch (e) {
    if (isCimError(e)) return { code: e.code, path: e.path };
    throw e;
  }
  return undefined;
}

describe('JSON form: unknown properties', () => {
  it('keeps an unknown property as an element in its parent’s namespace ($any), by the JSON rules read backwards', () => {
    const m = fromJson(
      event(
        { Vendor: { Code: 7, Flags: [true, false], Note: 'x', Empty: '' } },
        { MeterReadings: { MeterReading: [{ Meter: { mRID: 'M1' }, ExtraTag: 'y' }] } },
      ),
    );
    const header = (m as unknown as { Header: { $any: unknown } }).Header;
    expect(header.$any).toEqual([
      {
        ns: MESSAGE_NS_ED1,
        local: 'Vendor',
        children: [
          { ns: MESSAGE_NS_ED1, local: 'Code', text: '7' },
          { ns: MESSAGE_NS_ED1, local: 'Flags', text: 'true' },
          { ns: MESSAGE_NS_ED1, local: 'Flags', text: 'false' },
          { ns: MESSAGE_NS_ED1, local: 'Note', text: 'x' },
          { ns: MESSAGE_NS_ED1, local: 'Empty' },
        ],
      },
    ]);
    const mr = (m as unknown as { Payload: { MeterReadings: { MeterReading: { $any: unknown }[] } } }).Payload
      .MeterReadings.MeterReading[0]!;
    expect(mr.$any).toEqual([{ ns: MeterReadingsNamespace, local: 'ExtraTag', text: 'y' }]);
    // The XML writer puts them back where the XML reader finds them again: JSON → XML → model is the same.
    expect(fromXml(toXml(m))).toEqual(m);
    // The edition option picks the namespace given to unknown envelope properties.
    const ed2 = fromJson(event({ Vendor: 'v' }), { edition: 'ed2' });
    expect((ed2 as unknown as { Header: { $any: unknown } }).Header.$any).toEqual([
      { ns: MESSAGE_NS_ED2, local: 'Vendor', text: 'v' },
    ]);
    expect(fromXml(toXml(ed2, { edition: 'ed2' }))).toEqual(ed2);
  });

  it('unknown property and explicit $any keep their order; skip drops both, explicitly', () => {
    const any = { ns: 'urn:v', local: 'A' };
    const text = event({ B: '1', $any: [any], C: '2' });
    const header = (fromJson(text) as unknown as { Header: { $any: { local: string }[] } }).Header;
    expect(header.$any.map((e) => e.local)).toEqual(['B', 'A', 'C']);
    const skipped = fromJson(text, { unknownElements: 'skip' }) as unknown as { Header: object };
    expect(skipped.Header).toEqual({ Verb: 'created', Noun: 'MeterReadings' });
  });

  it('a property naming no registered profile in Payload/Request: UNKNOWN_NOUN, kept only with keep', () => {
    const text = event({}, { Widgets: { a: '1' }, Format: 'XML' });
    expect(error(() => fromJson(text))).toEqual({
      code: 'UNKNOWN_NOUN',
      path: ['EventMessage', 'Payload', 'Widgets'],
    });
    expect(error(() => fromJson(text, { unknownElements: 'skip' }))?.code).toBe('UNKNOWN_NOUN');
    const kept = fromJson(text, { unknownElements: 'keep' }) as unknown as { Payload: unknown };
    expect(kept.Payload).toEqual({
      Format: 'XML',
      $any: [
        { ns: MESSAGE_NS_ED1, local: 'Widgets', children: [{ ns: MESSAGE_NS_ED1, local: 'a', text: '1' }] },
      ],
    });
    // A profile of the other slot (GetMeterReadings belongs in Request) is not a Payload profile.
    expect(error(() => fromJson(event({}, { GetMeterReadings: {} })))?.code).toBe('UNKNOWN_NOUN');
  });

  it.each([
    ['null', event({ Vendor: null }), 'INVALID_VALUE', ['Header', 'Vendor']],
    ['nested arrays', event({ Vendor: [['a']] }), 'INVALID_VALUE', ['Header', 'Vendor', 0]],
    ['a name that is not an XML name', event({ 'a b': 'x' }), 'INVALID_VALUE', ['Header', 'a b']],
    ['a nested bad name', event({ V: { '1x': 'x' } }), 'INVALID_VALUE', ['Header', 'V', '1x']],
    ['null inside', event({ V: { W: [null] } }), 'INVALID_VALUE', ['Header', 'V', 'W', 0]],
    [
      'an ID with a key IDatts lacks',
      event({ MessageID: 'm' }, { ID: [{ value: 'x', foo: 'y' }] }),
      'INVALID_VALUE',
      ['Payload', 'ID', 0, 'foo'],
    ],
    ['$any not an array', event({ $any: {} }), 'INVALID_VALUE', ['Header', '$any']],
    [
      '$any item with an extra key',
      event({ $any: [{ ns: '', local: 'a', x: 1 }] }),
      'INVALID_VALUE',
      ['Header', '$any', 0, 'x'],
    ],
    [
      '$any local not an XML name',
      event({ $any: [{ ns: '', local: 'a:b' }] }),
      'INVALID_VALUE',
      ['Header', '$any', 0, 'local'],
    ],
    [
      '$any with text and children',
      event({ $any: [{ ns: '', local: 'a', text: 't', children: [{ ns: '', local: 'b' }] }] }),
      'INVALID_VALUE',
      ['Header', '$any', 0, 'text'],
    ],
    [
      '$any attribute with an extra key',
      event({ $any: [{ ns: '', local: 'a', attrs: [{ ns: '', local: 'b', value: 'c', d: 1 }] }] }),
      'INVALID_VALUE',
      ['Header', '$any', 0, 'attrs', 0],
    ],
  ])('refuses %s with a typed error and its path', (_n, text, code, path) => {
    expect(error(() => fromJson(text))).toEqual({ code, path: ['EventMessage', ...path] });
  });

  it('refuses unknown properties nested beyond the depth limit', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 80; i++) deep = { D: deep };
    expect(error(() => fromJson(event({ V: deep })))?.code).toBe('LIMIT_EXCEEDED');
  });

  it('toJson refuses a model holding a property that is not a field (a model carries them in $any)', () => {
    const m = {
      kind: 'EventMessage',
      Header: { Verb: 'created', Noun: 'X', Extra: 1 },
    } as unknown as Message;
    expect(error(() => toJsonValue(m))).toEqual({ code: 'INVALID_ARGUMENT', path: ['Header', 'Extra'] });
    // … while an `undefined` property is just absent.
    const u = {
      kind: 'EventMessage',
      Header: { Verb: 'created', Noun: 'X', Extra: undefined },
    } as unknown as Message;
    expect(toJsonValue(u)).toEqual({ EventMessage: { Header: { Verb: 'created', Noun: 'X' } } });
  });

  it('fromJsonComplex takes the namespace and mode for a bare profile object', () => {
    expect(
      fromJsonComplex({ Meter: { mRID: 'M' }, X: 'y' }, MeterReadingType, {
        namespace: MeterReadingsNamespace,
      }),
    ).toEqual({ Meter: { mRID: 'M' }, $any: [{ ns: MeterReadingsNamespace, local: 'X', text: 'y' }] });
    expect(fromJsonComplex({ X: 'y' }, MeterReadingType, { unknownElements: 'skip' })).toEqual({});
    expect(
      error(() => fromJsonComplex({}, MeterReadingType, { unknownElements: 'drop' as never }))?.code,
    ).toBe('INVALID_ARGUMENT');
  });

  it('$any from the XML reader survives XML → JSON → XML (foreign elements inserted anywhere)', () => {
    fc.assert(
      fc.property(
        messageArb(),
        fc.array(fc.tuple(fc.nat(), foreignArb), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (m, inserts, pretty) => {
          const xml = insertForeign(toXml(m, { pretty }), inserts);
          // keep: Payload/Request foreign elements are kept too, so every insert reaches the model.
          const read = fromXml(xml, { unknownElements: 'keep' });
          const json = toJson(read);
          for (let i = 0; i < inserts.length; i++) expect(json).toContain(`"local":"Ext${i}"`);
          const back = fromJson(json, { unknownElements: 'keep' });
          expect(back).toEqual(read);
          expect(fromXml(toXml(back), { unknownElements: 'keep' })).toEqual(read);
          expect(toJson(back)).toBe(json);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('an unknown JSON property, whatever its value: kept (and JSON → XML → model is the same) or refused, typed', () => {
    const known = new Set([
      'Verb',
      'Noun',
      'Revision',
      'ReplayDetection',
      'Context',
      'Timestamp',
      'Source',
      'AsyncReplyFlag',
      'ReplyAddress',
      'AckRequired',
      'User',
      'MessageID',
      'CorrelationID',
      'Comment',
      'Property',
    ]);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !known.has(k) && k !== '$any'),
        fc.jsonValue({ maxDepth: 3 }),
        (key, value) => {
          let m: Message;
          try {
            m = fromJson(event({ [key]: value }));
          } catch (e) {
            expect(isCimError(e) && e.code, String(e)).toBe('INVALID_VALUE');
            return;
          }
          const kept = (m as unknown as { Header: { $any?: unknown[] } }).Header.$any;
          // Only an empty array stands for no element at all.
          if (!(Array.isArray(value) && value.length === 0)) expect(kept?.length).toBeGreaterThan(0);
          try {
            expect(fromXml(toXml(m))).toEqual(m);
          } catch (e) {
            // Strings the XML writer cannot write (control characters) are refused there, typed.
            expect(isCimError(e) && e.code, String(e)).toBe('INVALID_ARGUMENT');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
