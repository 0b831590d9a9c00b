/**
 * A compact set of 64-bit fingerprints (open addressing over a Uint32Array), used to find duplicate
 * meters in files of millions of entries in 16–32 bytes a meter instead of a `Set<string>`'s ~50.
 * A fingerprint match is reported as a duplicate; two distinct values collide with probability about
 * n²/2⁶⁵ (below 10⁻⁷ for two million values).
 *
 * @module
 */

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hash(bytes: Uint8Array, kind: number, seed: number): number {
  let h = (seed ^ kind) >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h = Math.imul(h ^ bytes[i]!, 0x01000193);
    h = (h << 13) | (h >>> 19);
  }
  return fmix(h ^ bytes.length);
}

export class FingerprintSet {
  private table = new Uint32Array(2 * 1024);
  private count = 0;

  /** Memory held by the table. */
  get bytes(): number {
    return this.table.byteLength;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the value; returns false when its fingerprint was already present. */
  add(kind: number, bytes: Uint8Array): boolean {
    const a = hash(bytes, kind, 0x9747b28c);
    const b = hash(bytes, kind, 0x2f6b3a17) | 1; // never 0: 0 marks an empty slot
    if ((this.count + 1) * 2 > this.table.length / 2) this.grow();
    return this.insert(a, b);
  }

  private insert(a: number, b: number): boolean {
    const mask = this.table.length / 2 - 1;
    let i = a & mask;
    for (;;) {
      const tb = this.table[2 * i + 1]!;
      if (tb === 0) {
        this.table[2 * i] = a;
        this.table[2 * i + 1] = b;
        this.count++;
        return true;
      }
      if (tb === b >>> 0 && this.table[2 * i] === a) return false;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.count = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}
