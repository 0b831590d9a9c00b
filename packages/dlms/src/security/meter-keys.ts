/**
 * The meter keys a HES holds, loaded from the maker's key file, as the DLMS client uses them.
 *
 * `@ami-interop/keyfile` (which depends on nothing of ours) opens a key file and gives one plain record
 * per meter (`toDlmsMeterKeys`); {@link MeterKeyStore} takes those records — any object of the
 * {@link MeterKeyRecord} shape — and answers, for a meter and a client SAP, the association's
 * credentials and a counter store seeded so that the first invocation counter we send is above the last
 * one the key file records (the meter refuses a reused or lower counter).
 *
 * ```ts
 * const opened = openKeyFile(bytes, { key });
 * const store = new MeterKeyStore(opened.meters.map(toDlmsMeterKeys));
 * const a = store.association('SN001', 48, hesSystemTitle);
 * const client = await DlmsClient.associate(link, { authentication: 'hls-gmac', security: a.security });
 * ```
 *
 * @module
 */
import { DlmsError } from '../errors.ts';
import { toHex } from '../internal/hex.ts';
import { MemoryInvocationCounterStore } from './counter.ts';

/** One meter's keys, as `toDlmsMeterKeys` of `@ami-interop/keyfile` gives them. */
export interface MeterKeyRecord {
  serial: string;
  /** The meter's system title (8 bytes). */
  systemTitle: Uint8Array;
  /** Global unicast encryption key. */
  guek: Uint8Array;
  /** Global broadcast encryption key, if any. */
  gbek?: Uint8Array;
  /** Authentication key. */
  gak: Uint8Array;
  /** Master key (KEK), for key_transfer. */
  kek: Uint8Array;
  llsSecret?: Uint8Array;
  hlsUtilitySettings?: Uint8Array;
  hlsFirmware?: Uint8Array;
  /** Last invocation counter used per client SAP: the next one sent must be greater. */
  invocationCounters: readonly { clientSap: number; counter: number }[];
}

/** What a client needs to associate with one meter as one client SAP. */
export interface AssociationKeys {
  serial: string;
  /** For `DlmsClient.associate(…, { security })`: our system title, the keys and a seeded counter store. */
  security: {
    systemTitle: Uint8Array;
    ek: Uint8Array;
    ak: Uint8Array;
    counters: MemoryInvocationCounterStore;
    serverSystemTitle: Uint8Array;
  };
  /** The LLS password (client 32) or HLS secret (48, 80), when the key file has it. */
  password?: Uint8Array;
  secret?: Uint8Array;
  /** The master key, for a global key change. */
  kek: Uint8Array;
}

/** The counter-store slot the client sends under with global keys (see `DlmsClient`). */
const GLOBAL_UNICAST = 'global-unicast';

export class MeterKeyStore {
  readonly #bySerial = new Map<string, MeterKeyRecord>();
  readonly #byTitle = new Map<string, MeterKeyRecord>();

  /** Refuses a record without its keys, a wrong key length, and a serial or system title seen twice. */
  constructor(records: Iterable<MeterKeyRecord>) {
    for (const r of records) {
      if (typeof r?.serial !== 'string' || r.serial === '') {
        throw new DlmsError('INVALID_ARGUMENT', 'a meter key record needs a serial');
      }
      const bad = (what: string, b: unknown, n: number[]): void => {
        if (!(b instanceof Uint8Array) || !n.includes(b.length)) {
          throw new DlmsError(
            'INVALID_ARGUMENT',
            `meter ${r.serial}: ${what} must be ${n.join(' or ')} bytes`,
          );
        }
      };
      bad('systemTitle', r.systemTitle, [8]);
      bad('guek', r.guek, [16, 32]);
      bad('gak', r.gak, [16, 32]);
      bad('kek', r.kek, [16, 24, 32]);
      const title = toHex(r.systemTitle);
      if (this.#bySerial.has(r.serial))
        throw new DlmsError('INVALID_ARGUMENT', `meter ${r.serial} appears twice`);
      if (this.#byTitle.has(title)) {
        throw new DlmsError('INVALID_ARGUMENT', `system title ${title} appears twice (meter ${r.serial})`);
      }
      this.#bySerial.set(r.serial, r);
      this.#byTitle.set(title, r);
    }
  }

  get size(): number {
    return this.#bySerial.size;
  }

  bySerial(serial: string): MeterKeyRecord | undefined {
    return this.#bySerial.get(serial);
  }

  /** The meter whose system title this is (e.g. from an AARE's responding-AP-title or a push). */
  bySystemTitle(systemTitle: Uint8Array): MeterKeyRecord | undefined {
    return this.#byTitle.get(toHex(systemTitle));
  }

  /**
   * The credentials of meter `serial` for client `clientSap`, with a fresh counter store seeded from the key
   * file so that the first counter sent is the recorded one + 1. `clientSystemTitle` is the HES's own.
   */
  association(serial: string, clientSap: number, clientSystemTitle: Uint8Array): AssociationKeys {
    const r = this.#bySerial.get(serial);
    if (!r) throw new DlmsError('INVALID_ARGUMENT', `no keys for meter ${serial}`);
    if (!(clientSystemTitle instanceof Uint8Array) || clientSystemTitle.length !== 8) {
      throw new DlmsError('INVALID_ARGUMENT', 'the client system title must be 8 bytes');
    }
    const counters = new MemoryInvocationCounterStore();
    const recorded = r.invocationCounters.find((c) => c.clientSap === clientSap);
    if (recorded) counters.seedSent(clientSystemTitle, GLOBAL_UNICAST, recorded.counter);
    const out: AssociationKeys = {
      serial,
      security: {
        systemTitle: clientSystemTitle,
        ek: r.guek,
        ak: r.gak,
        counters,
        serverSystemTitle: r.systemTitle,
      },
      kek: r.kek,
    };
    if (clientSap === 32 && r.llsSecret) out.password = r.llsSecret;
    if (clientSap === 48 && r.hlsUtilitySettings) out.secret = r.hlsUtilitySettings;
    if (clientSap === 80 && r.hlsFirmware) out.secret = r.hlsFirmware;
    return out;
  }
}
