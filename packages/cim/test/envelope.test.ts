import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MESSAGE_NS_ED1,
  newMessageId,
  ReplyResult,
  type RequestMessage,
  replyTo,
  VERBS,
} from '../src/envelope/index.ts';
import { fromXml, toXml } from '../src/xml/index.ts';

const request: RequestMessage = {
  kind: 'RequestMessage',
  Header: {
    Verb: 'get',
    Noun: 'MeterReadings',
    Timestamp: '2024-04-01T10:00:00+05:30',
    Source: 'MDMS',
    MessageID: 'a1',
  },
  Request: { StartTime: '2024-04-01T00:00:00+05:30', GetMeterReadings: { EndDevice: [{ mRID: 'M-1' }] } },
};

describe('envelope helpers', () => {
  it('newMessageId gives distinct RFC 4122 v4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newMessageId()));
    expect(ids.size).toBe(100);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('replyTo correlates with the request, uses verb reply and the same noun', () => {
    const r = replyTo(request, {
      result: ReplyResult.FAILED,
      errors: [{ code: '2.4', level: 'FATAL', reason: 'no such meter' }],
      header: { Source: 'HES' },
    });
    expect(r.kind).toBe('ResponseMessage');
    expect(r.Header.Verb).toBe('reply');
    expect(r.Header.Noun).toBe('MeterReadings');
    expect(r.Header.CorrelationID).toBe('a1');
    expect(r.Header.MessageID).not.toBe('a1');
    expect(r.Header.Source).toBe('HES');
    expect(r.Reply).toEqual({
      Result: 'FAILED',
      Error: [{ code: '2.4', level: 'FATAL', reason: 'no such meter' }],
    });
    expect(fromXml(toXml(r))).toEqual(r);
  });

  it('verbs are the 14 of the Ed.1 FDIS', () => {
    expect(VERBS).toHaveLength(14);
    expect(VERBS).toContain('executed');
    expect(VERBS).not.toContain('show');
  });

  it('writes the envelope in the Ed.1 namespace and the Get profile inside Request', () => {
    const xml = toXml(request, { pretty: true });
    expect(xml).toContain(`<msg:RequestMessage xmlns:msg="${MESSAGE_NS_ED1}">`);
    expect(xml).toMatch(
      /<msg:Request>[\s\S]*<m:GetMeterReadings xmlns:m="http:\/\/iec.ch\/TC57\/2011\/GetMeterReadings#">/,
    );
    expect(fromXml(xml)).toEqual(request);
  });

  it('Header keeps schema order whatever order the fields were given', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(['Comment', 'Source', 'Context', 'MessageID', 'Revision']), (keys) => {
        const h: Record<string, string> = { Verb: 'create', Noun: 'EndDeviceControls' } as never;
        for (const k of keys) h[k] = k.toLowerCase();
        const xml = toXml({ kind: 'EventMessage', Header: h as never });
        const order = [...xml.matchAll(/<msg:(\w+)>/g)].map((m) => m[1]);
        const schema = ['Verb', 'Noun', 'Revision', 'Context', 'Source', 'MessageID', 'Comment'];
        expect(order.slice(1)).toEqual(schema.filter((s) => order.includes(s)));
      }),
      { numRuns: 30 },
    );
  });
});
