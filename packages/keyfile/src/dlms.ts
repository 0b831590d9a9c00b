/**
 * Plain records for the DLMS side. `@ami-interop/keyfile` does not depend on `@ami-interop/dlms`: it hands
 * out what a DLMS client's key store and invocation-counter store need, as bytes and numbers, and the
 * DLMS side loads them (see the package README / report for the adapter shape).
 *
 * @module
 */
import type { MeterRecord } from './record.ts';

/** IS 15959 client SAPs of the associations that carry an invocation counter. */
export const CLIENT_SAP = { meterReader: 32, utilitySettings: 48, push: 64, firmwareUpgrade: 80 } as const;

/** One meter's key material as plain bytes, ready for a DLMS key store. Copies: wipe them when loaded. */
export interface DlmsMeterKeys {
  serial: string;
  /** 8-byte system title, the key of the DLMS key store. */
  systemTitle: Uint8Array;
  /** Global unicast encryption key (security suite 0: 16 bytes). */
  guek: Uint8Array;
  /** Global broadcast encryption key, if provided. */
  gbek?: Uint8Array;
  /** Authentication key. */
  gak: Uint8Array;
  /** Master key (KEK), used to wrap new global keys in key_transfer. */
  kek: Uint8Array;
  /** Low-level secret of the Meter Reader association (client 32). */
  llsSecret?: Uint8Array;
  /** HLS secret of the Utility Settings association (client 48). */
  hlsUtilitySettings?: Uint8Array;
  /** HLS secret of the Firmware Upgrade association (client 80). */
  hlsFirmware?: Uint8Array;
  /** Last used invocation counter per client SAP: the client's next one is counter + 1. */
  invocationCounters: { clientSap: number; counter: number }[];
}

/** The DLMS view of a meter (copies the key bytes out of their SecretBytes holders). */
export function toDlmsMeterKeys(m: MeterRecord): DlmsMeterKeys {
  const copy = (b: { reveal(): Uint8Array } | undefined): Uint8Array | undefined =>
    b === undefined ? undefined : Uint8Array.from(b.reveal());
  const out: DlmsMeterKeys = {
    serial: m.serial,
    systemTitle: Uint8Array.from(m.systemTitle),
    guek: copy(m.keys.guek)!,
    gak: copy(m.keys.gak)!,
    kek: copy(m.keys.mk)!,
    invocationCounters: m.invocationCounters.map((c) => ({ clientSap: c.clientSap, counter: c.counter })),
  };
  const gbek = copy(m.keys.gbek);
  if (gbek) out.gbek = gbek;
  const lls = copy(m.secrets.lls);
  if (lls) out.llsSecret = lls;
  const us = copy(m.secrets.hlsUs);
  if (us) out.hlsUtilitySettings = us;
  const fw = copy(m.secrets.hlsFw);
  if (fw) out.hlsFirmware = fw;
  return out;
}

/** Zeroes the key bytes of a {@link DlmsMeterKeys} once the DLMS stores have taken their copies. */
export function wipeDlmsMeterKeys(k: DlmsMeterKeys): void {
  for (const b of [k.guek, k.gbek, k.gak, k.kek, k.llsSecret, k.hlsUtilitySettings, k.hlsFirmware])
    b?.fill(0);
}
