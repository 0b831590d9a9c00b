// The fuzzer's own tests (the rule, the mutations, the engine). Run: npx vitest run --root fuzz
import { describe, expect, it } from 'vitest';
import { Engine, SHARED_SIZE } from '../src/engine.ts';
import { applyMutation, MAX_INPUT, type MutationOp, Rng, randomMutation } from '../src/mutate.ts';
import { checkInput, type ErrorGuard, type FuzzTarget } from '../src/target.ts';
import { PlantedError, plantedDecoder } from './planted.ts';

const guard: ErrorGuard = (e) =>
  e instanceof PlantedError ? { code: e.code, offset: undefined } : undefined;

const planted: FuzzTarget = {
  name: 'planted',
  pkg: 'dlms',
  description: 'planted bug behind a four-byte magic',
  families: [],
  run(input) {
    plantedDecoder(input);
    return undefined;
  },
};

describe('checkInput', () => {
  const target = (fn: (b: Uint8Array) => void): FuzzTarget => ({
    ...planted,
    run: (b) => {
      fn(b);
      return undefined;
    },
  });
  it('accepts a decode and a typed error, reports an untyped one', () => {
    expect(
      checkInput(
        target(() => {}),
        guard,
        new Uint8Array(1),
      ),
    ).toBeUndefined();
    expect(
      checkInput(
        target(() => {
          throw new PlantedError('x');
        }),
        guard,
        new Uint8Array(1),
      ),
    ).toBeUndefined();
    expect(
      checkInput(
        target(() => {
          throw new RangeError('Maximum call stack size exceeded');
        }),
        guard,
        new Uint8Array(1),
      )?.kind,
    ).toBe('untyped-error');
    expect(
      checkInput(
        target(() => {
          throw 'a string';
        }),
        guard,
        new Uint8Array(1),
      )?.kind,
    ).toBe('untyped-error');
  });
  it('reports an INCOMPLETE offset past the end of the input', () => {
    const g: ErrorGuard = () => ({ code: 'INCOMPLETE', offset: 5 });
    const t = target(() => {
      throw new Error('x');
    });
    expect(checkInput(t, g, new Uint8Array(5))).toBeUndefined();
    expect(checkInput(t, g, new Uint8Array(4))?.kind).toBe('bad-incomplete-offset');
  });
  it('reports what a target check returns', () => {
    expect(checkInput({ ...planted, run: () => 'bad state' }, guard, new Uint8Array(0))?.message).toBe(
      'bad state',
    );
  });
});

describe('mutations', () => {
  it('never modify their input, stay within MAX_INPUT, and are deterministic per seed', () => {
    const rng = new Rng(42);
    const rng2 = new Rng(42);
    const pool = { others: [new Uint8Array(300).fill(7)], tokens: [new Uint8Array([60, 47])] };
    let x: Uint8Array = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let i = 0; i < 3000; i++) {
      const before = Buffer.from(x);
      const op: MutationOp = randomMutation(rng, x, pool);
      expect(randomMutation(rng2, x, pool)).toEqual(op);
      const next = applyMutation(x, op, pool);
      expect(before.equals(x)).toBe(true);
      x = next.length === 0 ? new Uint8Array([0]) : next;
    }
    // Growth stops at MAX_INPUT.
    const big = new Uint8Array(MAX_INPUT - 1);
    expect(applyMutation(big, { op: 'dup', pos: 0, len: 64 }).length).toBe(MAX_INPUT);
    expect(applyMutation(big, { op: 'insert', pos: 0, bytes: new Uint8Array(10) }).length).toBe(MAX_INPUT);
  });
  it('apply each kind as documented', () => {
    const b = new Uint8Array([0x10, 0x20, 0x30]);
    expect([...applyMutation(b, { op: 'flip', pos: 4, bit: 0 })]).toEqual([0x10, 0x21, 0x30]);
    expect([...applyMutation(b, { op: 'set', pos: 0, value: 0x81 })]).toEqual([0x81, 0x20, 0x30]);
    expect([...applyMutation(b, { op: 'add', pos: 2, delta: -1 })]).toEqual([0x10, 0x20, 0x2f]);
    expect([...applyMutation(b, { op: 'word', pos: 0, size: 2, value: 0xffff })]).toEqual([0xff, 0xff, 0x30]);
    expect([...applyMutation(b, { op: 'insert', pos: 1, bytes: Uint8Array.of(9) })]).toEqual([
      0x10, 9, 0x20, 0x30,
    ]);
    expect([...applyMutation(b, { op: 'delete', pos: 1, len: 5 })]).toEqual([0x10]);
    expect([...applyMutation(b, { op: 'dup', pos: 1, len: 1 })]).toEqual([0x10, 0x20, 0x20, 0x30]);
    expect([...applyMutation(b, { op: 'copy', from: 0, to: 2, len: 1 })]).toEqual([0x10, 0x20, 0x10]);
    expect([...applyMutation(b, { op: 'truncate', len: 2 })]).toEqual([0x10, 0x20]);
    const pool = { others: [Uint8Array.of(1, 2, 3)], tokens: [Uint8Array.of(0x3c)] };
    expect([...applyMutation(b, { op: 'splice', other: 0, at: 1, from: 2 }, pool)]).toEqual([0x10, 3]);
    expect([...applyMutation(b, { op: 'token', pos: 3, token: 0 }, pool)]).toEqual([0x10, 0x20, 0x30, 0x3c]);
  });
});

describe('coverage-guided engine', () => {
  it('climbs a four-byte magic that blind mutation would not find, and shrinks the input', {
    timeout: 90_000,
  }, () => {
    const engine = new Engine(planted, guard, new SharedArrayBuffer(SHARED_SIZE), (url) =>
      url.includes('planted'),
    );
    const r = engine.run([new TextEncoder().encode('AAAA')], {
      seconds: 45,
      seed: 7,
      batch: 128,
      minimise: false,
    });
    expect(r.finding, `no finding after ${r.stats.execs} execs, corpus ${r.stats.corpus}`).toBeDefined();
    expect(r.finding!.violation.kind).toBe('untyped-error');
    expect([...r.finding!.input]).toEqual([0x46, 0x55, 0x5a, 0x5a]);
    // The corpus grew one rung at a time: the guidance, not luck, found it.
    expect(r.stats.corpus).toBeGreaterThanOrEqual(4);
  });
  it('finds nothing in the same kind of run without coverage (the control)', () => {
    const engine = new Engine(planted, guard, new SharedArrayBuffer(SHARED_SIZE), () => false);
    const r = engine.run([new TextEncoder().encode('AAAA')], {
      seconds: 2,
      seed: 7,
      batch: 128,
      minimise: false,
    });
    expect(r.stats.execs).toBeGreaterThan(1000);
    expect(r.finding).toBeUndefined();
    expect(r.stats.corpus).toBe(1);
  });
});
