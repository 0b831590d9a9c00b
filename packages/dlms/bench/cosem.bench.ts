/**
 * Profile generic (class 7) selective access over an IS 15959 block-load buffer: 3360 rows (35 days at
 * 900 s), 8 columns (clock, average voltage, Wh/VAh import/export, average current, neutral current),
 * as `ProfileGenericObject.get(2, ctx, selectiveAccess)` answers a GET-with-selection. Items are rows of
 * the buffer examined (range) or returned (entry).
 */
import type { BenchCase } from '@ami-interop/bench';
import { dateTimeAsOctetString, encodeData } from '../src/axdr/codec.ts';
import { cosemDateTimeFromDate } from '../src/axdr/datetime.ts';
import type { Data } from '../src/axdr/types.ts';
import {
  type CaptureObjectDefinition,
  type CosemContext,
  ProfileGenericObject,
  type SelectiveAccess,
} from '../src/cosem/index.ts';
import { parseObis } from '../src/obis/index.ts';

const ROWS = 3360;
const START = Date.UTC(2024, 0, 1, 18, 30); // 2024-01-02 00:00 IST

const col = (classId: number, ln: string, attributeIndex = 2): CaptureObjectDefinition => ({
  classId,
  logicalName: parseObis(ln),
  attributeIndex,
  dataIndex: 0,
});

const CAPTURE = [
  col(8, '0.0.1.0.0.255'),
  col(3, '1.0.12.27.0.255'),
  col(3, '1.0.1.29.0.255'),
  col(3, '1.0.9.29.0.255'),
  col(3, '1.0.2.29.0.255'),
  col(3, '1.0.10.29.0.255'),
  col(3, '1.0.11.27.0.255'),
  col(3, '1.0.91.27.0.255'),
];

const clockAt = (ms: number): Data => dateTimeAsOctetString(cosemDateTimeFromDate(new Date(ms), -330));

function blockLoad(): ProfileGenericObject {
  const buffer: Data[][] = [];
  for (let i = 0; i < ROWS; i++) {
    buffer.push([
      clockAt(START + i * 900_000),
      { type: 'long-unsigned', value: 2300 + (i % 50) },
      { type: 'double-long-unsigned', value: 100 + (i % 400) },
      { type: 'double-long-unsigned', value: 110 + (i % 400) },
      { type: 'double-long-unsigned', value: i % 7 },
      { type: 'double-long-unsigned', value: i % 9 },
      { type: 'long-unsigned', value: 500 + (i % 100) },
      { type: 'long-unsigned', value: 10 + (i % 5) },
    ]);
  }
  return new ProfileGenericObject('1.0.99.1.0.255', {
    captureObjects: CAPTURE,
    profileEntries: ROWS,
    capturePeriod: 900,
    buffer,
  });
}

const range = (fromMs: number, toMs: number, selected: CaptureObjectDefinition[] = []): SelectiveAccess => ({
  selector: 1,
  parameters: {
    type: 'structure',
    value: [
      {
        type: 'structure',
        value: [
          { type: 'long-unsigned', value: 8 },
          { type: 'octet-string', value: Uint8Array.of(0, 0, 1, 0, 0, 255) },
          { type: 'integer', value: 2 },
          { type: 'long-unsigned', value: 0 },
        ],
      },
      clockAt(fromMs),
      clockAt(toMs),
      {
        type: 'array',
        value: selected.map((c) => ({
          type: 'structure',
          value: [
            { type: 'long-unsigned', value: c.classId },
            {
              type: 'octet-string',
              value: Uint8Array.of(
                c.logicalName.a,
                c.logicalName.b,
                c.logicalName.c,
                c.logicalName.d,
                c.logicalName.e,
                c.logicalName.f,
              ),
            },
            { type: 'integer', value: c.attributeIndex },
            { type: 'long-unsigned', value: c.dataIndex },
          ],
        })) as Data[],
      },
    ],
  },
});

const entries = (from: number, to: number, fromCol = 1, toCol = 0): SelectiveAccess => ({
  selector: 2,
  parameters: {
    type: 'structure',
    value: [
      { type: 'double-long-unsigned', value: from },
      { type: 'double-long-unsigned', value: to },
      { type: 'long-unsigned', value: fromCol },
      { type: 'long-unsigned', value: toCol },
    ],
  },
});

export function cases(): BenchCase[] {
  const pg = blockLoad();
  const ctx: CosemContext = { now: () => new Date(START + ROWS * 900_000) };
  const end = START + (ROWS - 1) * 900_000;
  const lastDay = range(end - 95 * 900_000, end);
  const all = range(START, end);
  const twoCols = range(end - 95 * 900_000, end, [CAPTURE[0]!, CAPTURE[2]!]);
  const rows = (d: Data) => (d.type === 'array' ? d.value.length : -1);
  // sanity: what each selection returns (a wrong selection would make the numbers meaningless)
  const check = (name: string, d: Data, n: number) => {
    if (rows(d) !== n) throw new Error(`${name}: expected ${n} rows, got ${rows(d)}`);
  };
  check('range all', pg.get(2, ctx, all), ROWS);
  check('range last day', pg.get(2, ctx, lastDay), 96);
  check('entry all', pg.get(2, ctx, entries(1, 0)), ROWS);
  check('entry last day', pg.get(2, ctx, entries(ROWS - 95, ROWS)), 96);
  const g = 'dlms/cosem profile generic (3360-row block load)';
  return [
    {
      group: g,
      name: 'range by clock, whole buffer (3360 rows returned)',
      fn: () => pg.get(2, ctx, all),
      items: ROWS,
      itemName: 'rows',
    },
    {
      group: g,
      name: 'range by clock, last day (3360 rows examined, 96 returned)',
      fn: () => pg.get(2, ctx, lastDay),
      items: ROWS,
      itemName: 'rows',
    },
    {
      group: g,
      name: 'range by clock, last day, 2 selected columns',
      fn: () => pg.get(2, ctx, twoCols),
      items: ROWS,
      itemName: 'rows',
    },
    {
      group: g,
      name: 'entries 1..0 (whole buffer)',
      fn: () => pg.get(2, ctx, entries(1, 0)),
      items: ROWS,
      itemName: 'rows',
    },
    {
      group: g,
      name: 'entries 3265..3360 (last day), columns 1..3',
      fn: () => pg.get(2, ctx, entries(ROWS - 95, ROWS, 1, 3)),
      items: 96,
      itemName: 'rows',
    },
    {
      group: g,
      name: 'range by clock, whole buffer, then A-XDR encode of the answer',
      fn: () => encodeData(pg.get(2, ctx, all)),
      items: ROWS,
      itemName: 'rows',
    },
  ];
}
