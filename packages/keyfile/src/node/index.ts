/**
 * Node helpers over file paths and streams for `@ami-interop/keyfile` (the CLI's building blocks).
 * Only this subpath imports node: modules.
 *
 * @module
 */

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { readKeyFile, sealKeyFileStream, verifyKeyFileStream } from '../api.ts';
import type { GcmBackend, KeyFileSummary, OpenOptions, SealOptions } from '../container.ts';
import { parseMetersCsvStream } from '../csv.ts';
import { generateKeyPair, type SelfSignedOptions } from '../pki.ts';
import type { MeterRecord } from '../record.ts';

/** AES-256-GCM through node:crypto (OpenSSL): the fast backend for large files. */
export const nodeGcm: GcmBackend = {
  encrypt(key, nonce, aad, pt) {
    const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    c.setAAD(aad);
    const a = c.update(pt);
    const b = c.final();
    const tag = c.getAuthTag();
    const out = new Uint8Array(a.length + b.length + 16);
    out.set(a, 0);
    out.set(b, a.length);
    out.set(tag, a.length + b.length);
    a.fill(0);
    return out;
  },
  decrypt(key, nonce, aad, sealed) {
    if (sealed.length < 16) throw new Error('short');
    const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    const a = d.update(sealed.subarray(0, sealed.length - 16));
    const b = d.final(); // throws when the tag does not verify, before we return anything
    const out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    a.fill(0);
    return out;
  },
};

/** Streams a file's bytes in 64 KiB pieces. */
export async function* fileBytes(path: string): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const piece of createReadStream(path, { highWaterMark: 64 * 1024 })) yield piece as Buffer;
}

/** Streams a UTF-8 text file in pieces. */
export async function* fileText(path: string): AsyncGenerator<string, void, undefined> {
  for await (const piece of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 }))
    yield piece as string;
}

/** The meters of a CSV file, one by one. */
export function readMetersCsvFile(path: string): AsyncGenerator<MeterRecord, void, undefined> {
  return parseMetersCsvStream(fileText(path));
}

/**
 * Seals meters (a CSV path or records) into `outPath`, streaming; returns the meter count.
 * Writes to `outPath` directly: on failure the partial file is left for the caller to remove.
 */
export async function sealKeyFileToPath(
  meters: string | Iterable<MeterRecord> | AsyncIterable<MeterRecord>,
  outPath: string,
  options: SealOptions,
): Promise<{ bytes: number }> {
  const source = typeof meters === 'string' ? readMetersCsvFile(meters) : meters;
  const out = createWriteStream(outPath);
  let bytes = 0;
  try {
    for await (const piece of sealKeyFileStream(source, { gcm: nodeGcm, ...options })) {
      bytes += piece.length;
      if (!out.write(piece)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { bytes };
}

/** Verifies a key file on disk (streaming, no decryption unless `options.key`). */
export function verifyKeyFilePath(path: string, options: OpenOptions = {}): Promise<KeyFileSummary> {
  return verifyKeyFileStream(fileBytes(path), { gcm: nodeGcm, ...options });
}

/**
 * Opens a key file on disk in two streaming passes: the first checks the signature without decrypting,
 * the second decrypts and calls `onMeter` for each meter, so nothing is handed out from a file whose
 * signature does not verify (unless the file changes between the passes, which the second pass's own
 * signature check still catches).
 */
export async function openKeyFilePath(
  path: string,
  options: OpenOptions,
  onMeter: (meter: MeterRecord, index: number) => void | Promise<void>,
): Promise<KeyFileSummary> {
  const { key: _key, ...verifyOnly } = options;
  await verifyKeyFileStream(fileBytes(path), verifyOnly);
  return readKeyFile(fileBytes(path), { gcm: nodeGcm, ...options }, onMeter);
}

/** Reads a PEM (or any text) file. */
export function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/**
 * `ami keyfile keygen --out NAME [--cert "CN=…"]`: writes NAME.key (PKCS#8 PEM, mode 0600), NAME.pub
 * (SPKI PEM) and, with `cert`, NAME.crt (self-signed X.509 PEM). Returns the paths written.
 */
export async function writeKeyPair(
  name: string,
  options: { cert?: SelfSignedOptions } = {},
): Promise<{ key: string; pub: string; crt?: string }> {
  const g = generateKeyPair(options.cert ? { cert: options.cert } : {});
  const out: { key: string; pub: string; crt?: string } = { key: `${name}.key`, pub: `${name}.pub` };
  await writeFile(out.key, g.privateKeyPem, { mode: 0o600 });
  await writeFile(out.pub, g.publicKeyPem);
  if (g.certificatePem) {
    out.crt = `${name}.crt`;
    await writeFile(out.crt, g.certificatePem);
  }
  return out;
}
