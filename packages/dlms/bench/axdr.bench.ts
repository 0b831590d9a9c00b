import type { BenchCase } from '@ami-interop/bench';
import { dataToJson, decodeData, encodeData } from '../src/axdr/index.ts';
import { blockLoad } from './block-load.ts';

export function cases(): BenchCase[] {
  const rows = 3360;
  const data = blockLoad(rows);
  const bytes = encodeData(data);
  const decoded = decodeData(bytes);
  return [
    {
      group: 'dlms/axdr',
      name: `decode IS 15959 block-load buffer (${rows} rows × 8 columns)`,
      fn: () => decodeData(bytes),
      bytes: bytes.length,
      items: rows,
      itemName: 'rows',
    },
    {
      group: 'dlms/axdr',
      name: `encode IS 15959 block-load buffer (${rows} rows × 8 columns)`,
      fn: () => encodeData(data),
      bytes: bytes.length,
      items: rows,
      itemName: 'rows',
    },
    {
      group: 'dlms/axdr',
      name: `typed JSON of the decoded block-load buffer (${rows} rows)`,
      fn: () => dataToJson(decoded),
      bytes: bytes.length,
      items: rows,
      itemName: 'rows',
    },
  ];
}
