import type { BenchCase } from '@ami-interop/bench';
import {
  decodeMeterRecord,
  encodeMeterRecord,
  openKeyFile,
  sealKeyFile,
  verifyKeyFile,
} from '../src/index.ts';
import { HES, meter, NOW, sealOptions } from '../test/fixtures.ts';

/**
 * Per-meter costs on batches of 1,000. The 1,000,000-meter run with peak RSS is `bench/million.ts`
 * (tinybench repeats a case at least 64 times, too many for a minute-long run): see docs/keyfile-spec.md.
 */
export function cases(): BenchCase[] {
  const meters = Array.from({ length: 1000 }, (_, i) => meter(i));
  const file = sealKeyFile(meters, sealOptions());
  const rec = encodeMeterRecord(meters[0]!);
  const key = { kind: 'ecdh', privateKey: HES } as const;
  return [
    {
      group: 'keyfile',
      name: 'encode meter record',
      fn: () => encodeMeterRecord(meters[0]!),
      bytes: rec.length,
    },
    {
      group: 'keyfile',
      name: 'decode meter record',
      fn: () => decodeMeterRecord(rec),
      bytes: rec.length,
    },
    {
      group: 'keyfile',
      name: 'seal 1,000 meters (ECDH-ES, ES256, 64 KiB chunks)',
      fn: () => sealKeyFile(meters, sealOptions({ random: undefined })),
      items: 1000,
      itemName: 'meters',
      bytes: file.length,
    },
    {
      group: 'keyfile',
      name: 'open 1,000 meters (verify + decrypt + parse)',
      fn: () => openKeyFile(file, { key, now: NOW }),
      items: 1000,
      itemName: 'meters',
      bytes: file.length,
    },
    {
      group: 'keyfile',
      name: 'verify 1,000 meters without the key (signature, structure)',
      fn: () => verifyKeyFile(file, { now: NOW }),
      items: 1000,
      itemName: 'meters',
      bytes: file.length,
    },
  ];
}
