import type { BenchCase } from '@ami-interop/bench';
import { loadVectors } from '@ami-interop/conformance-vectors';
import {
  describeEndDeviceEventType,
  describeReadingType,
  formatReadingType,
  parseReadingType,
} from '../src/codes/index.ts';
import { obisToReadingType } from '../src/mapping/index.ts';

/** The valid ReadingType mRIDs of the conformance vectors (12 codes, from registers to signal strength). */
function mrids(): string[] {
  return loadVectors('cim/reading-type')
    .vectors.filter((v) => v.error === undefined && v.text !== undefined)
    .map((v) => v.text!);
}

export function cases(): BenchCase[] {
  const codes = mrids();
  const parsed = codes.map(parseReadingType);
  const n = codes.length;
  return [
    {
      group: 'cim/codes',
      name: `parseReadingType, ${n} mRIDs`,
      fn: () => {
        for (const s of codes) parseReadingType(s);
      },
      items: n,
      itemName: 'mRIDs',
    },
    {
      group: 'cim/codes',
      name: `parseReadingType + describeReadingType, ${n} mRIDs`,
      fn: () => {
        for (const s of codes) describeReadingType(parseReadingType(s));
      },
      items: n,
      itemName: 'mRIDs',
    },
    {
      group: 'cim/codes',
      name: `formatReadingType, ${n} records`,
      fn: () => {
        for (const rt of parsed) formatReadingType(rt);
      },
      items: n,
      itemName: 'mRIDs',
    },
    {
      group: 'cim/codes',
      name: 'describeEndDeviceEventType, 4 codes',
      fn: () => {
        for (const s of ['3.26.0.85', '3.26.0.216', '3.12.29.212', '3.31.0.23'])
          describeEndDeviceEventType(s);
      },
      items: 4,
      itemName: 'codes',
    },
    {
      group: 'cim/mapping',
      name: 'obisToReadingType, block-load column (1.0.1.29.0.255, 900 s)',
      fn: () => obisToReadingType({ obis: '1.0.1.29.0.255', unit: 30, scaler: 0, period: 900 }),
      items: 1,
      itemName: 'mappings',
    },
  ];
}
