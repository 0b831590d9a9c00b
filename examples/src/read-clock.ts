/**
 * Read a meter's clock over the TCP wrapper with the Utility Settings association (HLS-GMAC, authenticated
 * encryption), as the README shows. Run: pnpm tsx --conditions=ami-source examples/src/read-clock.ts HOST PORT
 * with the meter's keys in AMI_EK and AMI_AK (hex).
 */
import { fromHex } from '@ami-interop/dlms';
import { dataToJson } from '@ami-interop/dlms/axdr';
import { DlmsClient } from '@ami-interop/dlms/client';
import { connectTcpWrapper } from '@ami-interop/dlms/node';

export async function readClock(host: string, port: number, keys: { ek: string; ak: string }) {
  const link = await connectTcpWrapper({ host, port, client: 48, server: 1 });
  const client = await DlmsClient.associate(link, {
    authentication: 'hls-gmac',
    security: { systemTitle: fromHex('4D4D4D0000000001'), ek: fromHex(keys.ek), ak: fromHex(keys.ak) },
  });
  try {
    const clock = await client.get({ classId: 8, obis: '0.0.1.0.0.255', attribute: 2 });
    return dataToJson(clock);
  } finally {
    await client.release();
  }
}

if (process.argv[1]?.endsWith('read-clock.ts')) {
  const [host = '127.0.0.1', port = '4059'] = process.argv.slice(2);
  const env = process.env;
  readClock(host, Number(port), { ek: env.AMI_EK ?? '', ak: env.AMI_AK ?? '' }).then(
    (v) => console.log(JSON.stringify(v, null, 2)),
    (e: unknown) => {
      console.error(String(e));
      process.exitCode = 1;
    },
  );
}
