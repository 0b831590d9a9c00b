import type { BenchCase } from '@ami-interop/bench';
import { encodeXdlmsApdu } from '../src/apdu/index.ts';
import { type Data, decodeData, encodeData } from '../src/axdr/index.ts';
import type { CosemContext } from '../src/cosem/index.ts';
import {
  createSimulatedMeter,
  decodePush,
  describeColumns,
  profileRows,
  rowsOf,
} from '../src/is15959/index.ts';
import { obisToBytes, parseObis } from '../src/obis/index.ts';
import { protectApdu } from '../src/security/index.ts';

export function cases(): BenchCase[] {
  const now = new Date('2024-03-15T05:07:00Z');
  const meter = createSimulatedMeter({ variant: { part: 2, phases: 1 }, serial: 'BENCH1', seed: 1, now });
  const ctx: CosemContext = { now: () => now, objects: meter.objects };
  const get = (ln: string, a: number) => meter.objects.findByName(ln)!.get(a, ctx);
  const captureObjects = get('1.0.99.1.0.255', 3);
  const bufferData = get('1.0.99.1.0.255', 2);
  const bufferBytes = encodeData(bufferData);
  const scalerUnits = { captureObjects: get('1.0.94.91.4.255', 3), buffer: get('1.0.94.91.4.255', 2) };
  const rows = (bufferData as { value: unknown[] }).value.length;
  const columns = describeColumns(captureObjects, { scalerUnits });
  const typedBuffer = (bufferData as unknown as { value: { value: Data[] }[] }).value.map((r) => r.value);
  const body = {
    type: 'structure' as const,
    value: [
      { type: 'octet-string' as const, value: new TextEncoder().encode('DEV0001') },
      { type: 'octet-string' as const, value: obisToBytes(parseObis('0.0.25.9.0.255')) },
      ...(get('1.0.94.91.0.255', 2) as unknown as { value: { value: Data[] }[] }).value[0]!.value,
    ],
  };
  const plain = encodeXdlmsApdu({
    type: 'data-notification',
    longInvokeIdAndPriority: {
      longInvokeId: 1,
      selfDescriptive: 'not-self-descriptive',
      processingOption: 'continue-on-error',
      serviceClass: 'unconfirmed',
      priority: 'normal',
    },
    notificationBody: body,
  });
  const k = meter.secrets.keys[64];
  const ciphered = protectApdu(plain, {
    policy: 'auth+enc',
    kind: 'general-glo',
    ek: k.guek,
    ak: k.gak,
    systemTitle: meter.secrets.systemTitle,
    invocationCounter: 1,
  });
  return [
    {
      group: 'dlms/is15959',
      name: `typed rows from a block-load buffer (${rows} rows, Data already decoded)`,
      fn: () => rowsOf(columns, typedBuffer),
      items: rows,
      itemName: 'rows',
    },
    {
      group: 'dlms/is15959',
      name: `decode A-XDR + typed rows, block-load buffer (${rows} rows, ${bufferBytes.length} bytes)`,
      fn: () => profileRows({ captureObjects, buffer: decodeData(bufferBytes), scalerUnits }),
      items: rows,
      itemName: 'rows',
      bytes: bufferBytes.length,
    },
    {
      group: 'dlms/is15959',
      name: 'build a simulated single-phase meter (3360-row block load, 14 months of history)',
      fn: () => createSimulatedMeter({ variant: { part: 2, phases: 1 }, serial: 'BENCH2', seed: 2, now }),
      items: 1,
      itemName: 'meters',
      time: 2000,
    },
    {
      group: 'dlms/is15959',
      name: 'decodePush: instantaneous push, general-glo-ciphered (auth+enc)',
      fn: () => decodePush(ciphered, { keys: { ek: k.guek, ak: k.gak }, catalogue: meter.catalogue }),
      items: 1,
      itemName: 'pushes',
      bytes: ciphered.length,
    },
    {
      group: 'dlms/is15959',
      name: 'decodePush: the same push, plain',
      fn: () => decodePush(plain, { catalogue: meter.catalogue }),
      items: 1,
      itemName: 'pushes',
      bytes: plain.length,
    },
  ];
}
