/**
 * Opening an IS 15959 association over the TCP wrapper, with the security each client SAP uses:
 * 16 public (none), 32 meter reader (LLS, ciphered with the variant's policy), 48 utility settings
 * (HLS-GMAC or HLS with auth+enc), 80 firmware upgrade (HLS with auth+enc). Our invocation counter comes
 * from the IS 15959 recipe (read over the public client first) unless `readCounter: false`.
 *
 * @module
 */
import { DlmsClient } from '../../client/client.ts';
import type { AssociateOptions, ClientAuthentication } from '../../client/types.ts';
import { DlmsError } from '../../errors.ts';
import { fromHex } from '../../internal/hex.ts';
import { connectTcpWrapper } from '../../node/wrapper-tcp.ts';
import type { SecurityPolicy } from '../../security/control.ts';
import type { SimulatedMeterKeys } from './server.ts';

/** The secrets of one association. */
export interface AssociationCredentials {
  /** LLS password (client 32). */
  password?: Uint8Array | string;
  /** HLS secret (mechanism 2, clients 48 with HLS and 80). */
  secret?: Uint8Array;
  /** Global unicast encryption key and authentication key (ciphered associations). */
  ek?: Uint8Array;
  ak?: Uint8Array;
}

export interface ConnectMeterOptions {
  host: string;
  port: number;
  client: 16 | 32 | 48 | 80;
  credentials?: AssociationCredentials;
  /** Default: 16 none, 32 lls, 48 hls-gmac, 80 hls. */
  authentication?: ClientAuthentication;
  /** Default: 16 none, 32 `enc`, 48 and 80 `auth+enc`. */
  policy?: SecurityPolicy | 'none';
  /** Our system title (default `AMI` ‖ 5 random bytes). */
  systemTitle?: Uint8Array;
  /** Read our invocation counter over the public client first (default true for ciphered associations). */
  readCounter?: boolean;
  responseTimeoutMs?: number;
  onEvent?: AssociateOptions['onEvent'];
}

const DEFAULT_AUTH: Record<number, ClientAuthentication> = {
  16: 'none',
  32: 'lls',
  48: 'hls-gmac',
  80: 'hls',
};
const DEFAULT_POLICY: Record<number, SecurityPolicy | 'none'> = {
  16: 'none',
  32: 'enc',
  48: 'auth+enc',
  80: 'auth+enc',
};

function randomTitle(): Uint8Array {
  const t = new Uint8Array(8);
  t.set([0x41, 0x4d, 0x49]);
  globalThis.crypto.getRandomValues(t.subarray(3));
  return t;
}

/** The credentials of client `sap` from a `--keys-out` record. */
export function credentialsFor(keys: SimulatedMeterKeys, sap: 16 | 32 | 48 | 80): AssociationCredentials {
  if (sap === 16) return {};
  const k = keys.keys?.[String(sap) as '32' | '48' | '80'] ?? { guek: keys.guek, gak: keys.gak };
  const c: AssociationCredentials = { ek: fromHex(k.guek), ak: fromHex(k.gak) };
  if (sap === 32) c.password = keys.lls;
  if (sap === 48) c.secret = fromHex(keys.hlsUs);
  if (sap === 80) c.secret = fromHex(keys.hlsFw);
  return c;
}

/** Connects and associates (see the module doc). The caller releases and closes the client. */
export async function connectMeter(options: ConnectMeterOptions): Promise<DlmsClient> {
  const { host, port, client } = options;
  if (![16, 32, 48, 80].includes(client)) {
    throw new DlmsError('INVALID_ARGUMENT', `client must be 16, 32, 48 or 80, got ${String(client)}`);
  }
  const cred = options.credentials ?? {};
  const authentication = options.authentication ?? DEFAULT_AUTH[client]!;
  const policy = options.policy ?? DEFAULT_POLICY[client]!;
  const assoc: AssociateOptions = {
    authentication,
    responseTimeoutMs: options.responseTimeoutMs ?? 10_000,
  };
  if (options.onEvent) assoc.onEvent = options.onEvent;
  if (cred.password !== undefined) assoc.password = cred.password;
  if (cred.secret !== undefined) assoc.secret = cred.secret;
  if (policy !== 'none') {
    if (!cred.ek || !cred.ak) {
      throw new DlmsError('INVALID_ARGUMENT', `client ${client} is ciphered: ek and ak are needed`);
    }
    assoc.security = { systemTitle: options.systemTitle ?? randomTitle(), ek: cred.ek, ak: cred.ak, policy };
    if (options.readCounter !== false) {
      assoc.invocationCounter = {
        openPublicLink: () =>
          connectTcpWrapper({ host, port, client: 16, server: 1, connectTimeoutMs: 5000 }),
      };
    }
  }
  const link = await connectTcpWrapper({ host, port, client, server: 1, connectTimeoutMs: 5000 });
  try {
    return await DlmsClient.associate(link, assoc);
  } catch (e) {
    await link.close();
    throw e;
  }
}
