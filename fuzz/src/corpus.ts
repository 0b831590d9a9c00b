/**
 * Seeds and the kept corpus.
 *
 * - Seeds: every vector (`hex` or `text`) of the target's conformance-vector families, negative vectors
 *   included (they sit right on the decoder's error paths), plus the target's extra seeds.
 * - Corpus: `conformance-vectors/fuzz-corpus/<target>/<sha256 prefix>` files, raw bytes, one input each;
 *   inputs the coverage-guided fuzzer found to reach new blocks. Names are content hashes, so duplicates
 *   cannot exist; {@link writeCorpus} keeps at most {@link CORPUS_CAP} files no larger than
 *   {@link CORPUS_MAX_FILE} bytes per target.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVectors, VECTORS_DIR, vectorBytes } from '@ami-interop/conformance-vectors';
import type { FuzzTarget } from './target.ts';

/** Most files kept per target. */
export const CORPUS_CAP = 64;
/** Largest corpus file kept (bytes). */
export const CORPUS_MAX_FILE = 4096;

export const CORPUS_ROOT: string = join(VECTORS_DIR, 'fuzz-corpus');

export function corpusDir(target: FuzzTarget | string): string {
  return join(CORPUS_ROOT, typeof target === 'string' ? target : target.name);
}

/** The content name of an input: 16 hex digits of its SHA-256. */
export function inputId(input: Uint8Array): string {
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}

/** Vectors of the target's families and its extra seeds, deduplicated. */
export function seedInputs(target: FuzzTarget): Uint8Array[] {
  const out = new Map<string, Uint8Array>();
  const add = (b: Uint8Array): void => {
    if (b.length <= 64 * 1024) out.set(inputId(b), b);
  };
  for (const family of target.families)
    for (const v of loadVectors(family).vectors)
      if (v.hex !== undefined || v.text !== undefined) add(vectorBytes(v));
  for (const b of target.extraSeeds?.() ?? []) add(b);
  return [...out.values()];
}

/** The kept corpus of a target (empty when the folder does not exist). */
export function readCorpus(target: FuzzTarget | string): Uint8Array[] {
  const dir = corpusDir(target);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Uint8Array[] = [];
  for (const n of names.sort()) {
    const p = join(dir, n);
    if (n.startsWith('.') || !statSync(p).isFile()) continue;
    out.push(new Uint8Array(readFileSync(p)));
  }
  return out;
}

/** Seeds and corpus together, deduplicated. */
export function startingInputs(target: FuzzTarget): Uint8Array[] {
  const out = new Map<string, Uint8Array>();
  for (const b of [...seedInputs(target), ...readCorpus(target)]) out.set(inputId(b), b);
  return [...out.values()];
}

/**
 * Replaces the target's corpus folder with `inputs` (already minimised by the caller): drops seeds (they
 * live in the vector files), inputs over {@link CORPUS_MAX_FILE}, and everything past {@link CORPUS_CAP}.
 * Returns the number of files written.
 */
export function writeCorpus(target: FuzzTarget, inputs: readonly Uint8Array[]): number {
  const seeds = new Set(seedInputs(target).map(inputId));
  const keep = inputs
    .filter((b) => b.length <= CORPUS_MAX_FILE && !seeds.has(inputId(b)))
    .slice(0, CORPUS_CAP);
  const dir = corpusDir(target);
  rmSync(dir, { recursive: true, force: true });
  if (keep.length === 0) return 0;
  mkdirSync(dir, { recursive: true });
  for (const b of keep) writeFileSync(join(dir, inputId(b)), b);
  return keep.length;
}
