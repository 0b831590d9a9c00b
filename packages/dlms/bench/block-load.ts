import { cosemDateTimeFromDate, type Data, dateTimeAsOctetString } from '../src/axdr/index.ts';

/**
 * An IS 15959 block-load profile buffer as a meter returns it: 3360 rows (35 days of 15-minute
 * intervals), each a structure of the 8 single-phase capture columns — clock as octet-string(12)
 * date-time, average voltage (long-unsigned), Wh / VAh import and export (double-long-unsigned), average
 * current and neutral current (long-unsigned).
 */
export function blockLoad(rows: number): Data {
  const start = Date.UTC(2024, 0, 1) - 330 * 60_000;
  const value: Data[] = [];
  for (let i = 0; i < rows; i++) {
    value.push({
      type: 'structure',
      value: [
        dateTimeAsOctetString(cosemDateTimeFromDate(new Date(start + i * 900_000), -330)),
        { type: 'long-unsigned', value: 23_000 + (i % 700) },
        { type: 'double-long-unsigned', value: 100 + (i % 250) },
        { type: 'double-long-unsigned', value: 110 + (i % 260) },
        { type: 'double-long-unsigned', value: i % 3 },
        { type: 'double-long-unsigned', value: i % 5 },
        { type: 'long-unsigned', value: 500 + (i % 900) },
        { type: 'long-unsigned', value: i % 40 },
      ],
    });
  }
  return { type: 'array', value };
}
