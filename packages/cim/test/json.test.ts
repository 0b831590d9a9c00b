import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../src/envelope/index.ts';
import { isCimError } from '../src/errors.ts';
import { fromJson, toJson, toJsonValue } from '../src/json/index.ts';
import { fromXml, toXml } from '../src/xml/index.ts';
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
