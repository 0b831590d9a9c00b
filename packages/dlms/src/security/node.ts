/**
 * `@ami-interop/dlms/security/node`: a {@link CryptoBackend} on `node:crypto` (OpenSSL, AES-NI), for Node only.
 *
 * Since the default backend ({@link defaultBackend} in `@ami-interop/dlms/security`) already picks
 * `node:crypto` wherever `process.getBuiltinModule` finds it (Node ≥ 20.16, Bun, Deno), importing this subpath
 * is only needed to name the backend explicitly (tests, benchmarks, older Node).
 *
 * @module
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { CryptoBackend } from './backend.ts';
import { createNodeCryptoBackend } from './node-backend.ts';

/** AES-GCM through `node:crypto`. */
export const nodeCryptoBackend: CryptoBackend = createNodeCryptoBackend({ createCipheriv, createDecipheriv });

export type { CryptoBackend } from './backend.ts';
