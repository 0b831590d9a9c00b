import type { BenchCases } from '@ami-interop/bench';
import { encodeAare } from '../src/acse/index.ts';
import { encodeXdlmsApdu, invokeIdAndPriorityFromByte } from '../src/apdu/index.ts';
import { DlmsClient } from '../src/client/index.ts';
import type { ApduLink } from '../src/link/index.ts';
import { connectTcpWrapper, listenTcpWrapper } from '../src/node/index.ts';

/**
 * Client-side cost over loopback TCP (wrapper) against a minimal fake meter that answers from
 * precomputed bytes (AARE, get-response with a long-unsigned, RLRE), so the numbers are dominated by our
 * client, the wrapper link and the kernel's loopback, not by a server implementation.
 */
const AARE = encodeAare({
  type: 'aare',
  applicationContextName: 'ln',
  result: 'accepted',
  resultSourceDiagnostic: { source: 'acse-service-user', value: 'null' },
  userInformation: {
    type: 'initiate-response',
    negotiatedDlmsVersionNumber: 6,
    negotiatedConformance: ['get', 'set', 'action', 'block-transfer-with-get-or-read'],
    serverMaxReceivePduSize: 1024,
    vaaName: 7,
  },
});
const RLRE = Uint8Array.of(0x63, 0x03, 0x80, 0x01, 0x00);

async function fakeMeter(link: ApduLink): Promise<void> {
  try {
    for (;;) {
      const req = await link.receive();
      if (req[0] === 0x60) await link.send(AARE);
      else if (req[0] === 0x62) await link.send(RLRE);
      else
        await link.send(
          encodeXdlmsApdu({
            type: 'get-response-normal',
            invokeIdAndPriority: invokeIdAndPriorityFromByte(req[2]!),
            result: { data: { type: 'long-unsigned', value: 230 } },
          }),
        );
    }
  } catch {
    await link.close();
  }
}

export async function cases(): Promise<BenchCases> {
  const listener = await listenTcpWrapper({ port: 0 });
  void (async () => {
    for await (const l of listener.accept()) void fakeMeter(l);
  })();
  const open = () => connectTcpWrapper({ host: '127.0.0.1', port: listener.port, client: 16, server: 1 });
  const client = await DlmsClient.associate(await open());
  const ref = { classId: 3, obis: '1.0.12.7.0.255', attribute: 2 };
  const list: BenchCases = [
    {
      group: 'dlms/client (loopback TCP wrapper)',
      name: 'association: connect, AARQ/AARE, RLRQ/RLRE, close',
      fn: async () => {
        const c = await DlmsClient.associate(await open());
        await c.release();
      },
      items: 1,
      itemName: 'associations',
    },
    {
      group: 'dlms/client (loopback TCP wrapper)',
      name: 'GET round trip (one long-unsigned)',
      fn: () => client.get(ref),
      items: 1,
      itemName: 'GETs',
    },
  ];
  // The listener and the kept association would keep `pnpm bench` alive after its last case.
  list.teardown = async () => {
    await client.release();
    await listener.close();
  };
  return list;
}
