/**
 * The simulated IS 15959 meter served by DlmsServer and read by DlmsClient over a memory link, through the
 * AttributeReader seam: typed rows over a live session equal the rows read from the object set directly.
 */
import { describe, expect, it } from 'vitest';
import { conformanceFromNumber } from '../src/apdu/index.ts';
import { DlmsClient } from '../src/client/index.ts';
import {
  checkObjectList,
  createSimulatedMeter,
  objectSetReader,
  readProfileRows,
} from '../src/is15959/index.ts';
import { MemoryLinkListener } from '../src/link/index.ts';
import { DlmsServer } from '../src/server/index.ts';

const NOW = new Date('2024-03-15T05:07:00Z');

describe('simulated meter over a DLMS session', () => {
  it('the public client reads typed block-load and daily rows, and a clean object list', async () => {
    const meter = createSimulatedMeter({
      variant: { part: 2, phases: 1 },
      serial: 'SESS1',
      seed: 9,
      now: NOW,
    });
    const listener = new MemoryLinkListener();
    const server = new DlmsServer({
      objects: meter.objects,
      // get, selective-access, block-transfer-with-get, multiple-references
      associations: [
        {
          clientSap: 16,
          authentication: { mechanism: 'none' },
          conformance: conformanceFromNumber(0x001214),
        },
      ],
      systemTitle: meter.secrets.systemTitle,
      now: () => NOW,
    });
    void server.serve(listener);
    const client = await DlmsClient.associate(listener.connect({ client: 16, server: 1 }), {
      maxReceivePduSize: 512,
      conformance: ['get', 'selective-access', 'block-transfer-with-get-or-read', 'multiple-references'],
    });
    try {
      const direct = objectSetReader(meter.objects, { now: () => NOW });
      const cat = meter.catalogue;
      for (const p of [cat.profiles.blockLoad, cat.profiles.dailyLoad, cat.profiles.powerEvents]) {
        const overLink = await readProfileRows(client, p);
        expect(overLink, p.id).toEqual(await readProfileRows(direct, p));
        expect(overLink.length).toBeGreaterThan(0);
      }
      const ol = await client.get({ classId: 15, obis: '0.0.40.0.1.255', attribute: 2 });
      expect(checkObjectList(ol, { clientSap: 16 })).toEqual([]);
    } finally {
      await client.release();
      await client.close();
      await server.close();
    }
  });
});
