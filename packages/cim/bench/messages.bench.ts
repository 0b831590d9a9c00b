import type { BenchCase } from '@ami-interop/bench';
import type { EventMessage, Message } from '../src/envelope/index.ts';
import { fromJson, toJson } from '../src/json/index.ts';
import type { MeterReading } from '../src/profiles/index.ts';
import { fromXml, readMeterReadingsStream, toXml, writeMeterReadingsStream } from '../src/xml/index.ts';
import { builderToString, toXmlBuilder } from '../src/xml-builder/index.ts';

const START = Date.parse('2024-04-01T00:00:00Z');
/** 8 load-profile reading types (15-min deltaData: kWh/kvarh import/export, kVAh, V, A, PF-ish). */
const READING_TYPES = [
  '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
  '0.0.2.4.19.1.12.0.0.0.0.0.0.0.0.3.72.0',
  '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.73.0',
  '0.0.2.4.19.1.12.0.0.0.0.0.0.0.0.3.73.0',
  '0.0.2.4.1.1.12.0.0.0.0.0.0.0.0.3.71.0',
  '0.2.2.6.0.1.158.0.0.0.0.0.0.0.128.0.29.0',
  '0.2.2.6.0.1.4.0.0.0.0.0.0.0.128.0.5.0',
  '0.2.2.6.0.1.38.0.0.0.0.0.0.0.0.0.65.0',
];

function meterReading(meter: number): MeterReading {
  return {
    Meter: { mRID: `MTR${String(meter).padStart(6, '0')}` },
    IntervalBlocks: READING_TYPES.map((rt, k) => ({
      IntervalReadings: Array.from({ length: 96 }, (_, i) => ({
        timeStamp: `${new Date(START + (i + 1) * 900_000).toISOString().slice(0, 19)}Z`,
        value: ((((meter + 1) * (k + 1) * (i + 7)) % 10_000) / 100).toFixed(2),
      })),
      ReadingType: rt,
    })),
  };
}

const header = {
  Verb: 'created',
  Noun: 'MeterReadings',
  Timestamp: '2024-04-01T10:00:00Z',
  Source: 'HES',
} as const;

function message(): Message {
  return {
    kind: 'EventMessage',
    Header: { ...header },
    Payload: { MeterReadings: { MeterReading: [meterReading(1)] } },
  };
}

export function cases(): BenchCase[] {
  const msg = message();
  const xml = toXml(msg);
  const json = toJson(msg);
  const streamMeters = 200;
  const envelope: Omit<EventMessage, 'Payload'> = { kind: 'EventMessage', Header: { ...header } };
  const group = 'cim/messages (MeterReadings, 1 meter × 8 reading types × 96 intervals)';
  const note = `${(xml.length / 1024).toFixed(0)} KiB XML, ${(json.length / 1024).toFixed(0)} KiB JSON`;
  return [
    {
      group,
      name: 'build model + toXml (string writer)',
      fn: () => toXml(message()),
      bytes: xml.length,
      items: 1,
      itemName: 'messages',
      note,
    },
    {
      group,
      name: 'build model + toXmlBuilder + end (xmlbuilder2)',
      fn: () => builderToString(toXmlBuilder(message())),
      bytes: xml.length,
      items: 1,
      itemName: 'messages',
    },
    {
      group,
      name: 'fromXml (fast-xml-parser + namespaces + typed decode)',
      fn: () => fromXml(xml, { parser: 'fast-xml-parser' }),
      bytes: xml.length,
      items: 1,
      itemName: 'messages',
    },
    {
      group,
      name: 'fromXml, builtin tokenizer (parser: builtin)',
      fn: () => fromXml(xml, { parser: 'builtin' }),
      bytes: xml.length,
      items: 1,
      itemName: 'messages',
    },
    {
      group,
      name: 'build model + toJson',
      fn: () => toJson(message()),
      bytes: json.length,
      items: 1,
      itemName: 'messages',
    },
    {
      group,
      name: 'fromJson (JSON.parse + typed decode)',
      fn: () => fromJson(json),
      bytes: json.length,
      items: 1,
      itemName: 'messages',
    },
    {
      group: 'cim/messages streaming (meters × 1 reading type × 96 intervals)',
      name: `writeMeterReadingsStream → readMeterReadingsStream, ${streamMeters} meters`,
      fn: async () => {
        function* readings(): Generator<MeterReading> {
          for (let m = 0; m < streamMeters; m++) {
            const r = meterReading(m);
            yield { ...r, IntervalBlocks: r.IntervalBlocks!.slice(0, 1) };
          }
        }
        let n = 0;
        for await (const item of readMeterReadingsStream(
          writeMeterReadingsStream(envelope, readings(), { batch: 20 }),
        )) {
          if (item.kind === 'MeterReading') n++;
        }
        if (n !== streamMeters) throw new Error(`read ${n} meters`);
      },
      items: streamMeters,
      itemName: 'meters',
      time: 1000,
    },
  ];
}
