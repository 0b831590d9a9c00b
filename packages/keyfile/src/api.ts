/**
 * The functions a CLI or a HES drives: seal, open and verify over bytes or streams of bytes.
 *
 * @module
 */

import {
  KeyFileReader,
  type KeyFileSummary,
  KeyFileWriter,
  type OpenOptions,
  type SealOptions,
} from './container.ts';
import { KeyfileError } from './errors.ts';
import { concat } from './internal/bytes.ts';
import { privateKeyFromPem } from './pki.ts';
import type { OpeningKey } from './recipient.ts';
import type { MeterRecord } from './record.ts';

/** Seals meters into one AKF/1 file in memory (for small batches; see {@link sealKeyFileStream}). */
export function sealKeyFile(meters: Iterable<MeterRecord>, options: SealOptions): Uint8Array {
  const w = new KeyFileWriter(options);
  const parts: Uint8Array[] = [w.start()];
  for (const m of meters) parts.push(...w.add(m));
  parts.push(...w.finish());
  return concat(...parts);
}

/** Seals meters from any (async) iterable, yielding file bytes as they are ready: bounded memory. */
export async function* sealKeyFileStream(
  meters: Iterable<MeterRecord> | AsyncIterable<MeterRecord>,
  options: SealOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const w = new KeyFileWriter(options);
  yield w.start();
  for await (const m of meters) for (const p of w.add(m)) yield p;
  for (const p of w.finish()) yield p;
}

/** The result of {@link openKeyFile}. */
export interface OpenedKeyFile extends KeyFileSummary {
  meters: MeterRecord[];
}

/**
 * Opens a whole file held in memory: checks validity, recipient, every chunk and the signature, and only
 * then returns the meters. Needs `options.key`.
 */
export function openKeyFile(file: Uint8Array, options: OpenOptions & { key: OpeningKey }): OpenedKeyFile {
  if (!options.key) throw new KeyfileError('INVALID_ARGUMENT', 'openKeyFile needs options.key');
  const r = new KeyFileReader(options);
  const meters = r.push(file);
  const summary = r.end();
  return { ...summary, meters };
}

/**
 * Verifies a file without decrypting it (signature, structure, validity, trusted signer), or, with
 * `options.key`, also that it opens with that key (recipient check and every chunk's tag).
 */
export function verifyKeyFile(file: Uint8Array, options: OpenOptions = {}): KeyFileSummary {
  const r = new KeyFileReader(options);
  for (const m of r.push(file)) wipeRecord(m);
  return r.end();
}

function wipeRecord(m: MeterRecord): void {
  for (const k of Object.values(m.keys)) k?.wipe();
  for (const k of Object.values(m.secrets)) k?.wipe();
}

/**
 * Reads a file from a stream of byte pieces, meter by meter, in bounded memory. `onMeter` is called for
 * each meter as it is decrypted (awaited, so it may write to a store); the promise resolves with the
 * summary once the signature has verified. If it rejects, discard what `onMeter` staged.
 */
export async function readKeyFile(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: OpenOptions,
  onMeter: (meter: MeterRecord, index: number) => void | Promise<void>,
): Promise<KeyFileSummary> {
  const r = new KeyFileReader(options);
  let i = 0;
  for await (const piece of source) for (const m of r.push(piece)) await onMeter(m, i++);
  return r.end();
}

/** Same as {@link verifyKeyFile} over a stream of byte pieces. */
export async function verifyKeyFileStream(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: OpenOptions = {},
): Promise<KeyFileSummary> {
  return readKeyFile(source, options, wipeRecord);
}

/** An opening key from a PKCS#8 PEM (the HES private key). */
export function ecdhKeyFromPem(pem: string): OpeningKey {
  return { kind: 'ecdh', privateKey: privateKeyFromPem(pem) };
}

/**
 * Which form a file is in, from its first byte: `'akf'` (JSON container, starts with `{`), `'cms'` (DER,
 * starts with a SEQUENCE 0x30, or PEM `-----BEGIN CMS-----`/`PKCS7`), or undefined.
 */
export function detectKeyFileFormat(file: Uint8Array): 'akf' | 'cms' | 'cms-pem' | undefined {
  if (file[0] === 0x7b) return 'akf';
  if (file[0] === 0x30) return 'cms';
  const head = new TextDecoder().decode(file.subarray(0, 32));
  if (head.startsWith('-----BEGIN CMS-----') || head.startsWith('-----BEGIN PKCS7-----')) return 'cms-pem';
  return undefined;
}
