/**
 * The push format check: pushes the simulator sends (received on our wrapper listener) pass; a plain
 * push, a wrong type, values swapped out of the configured order and a wrong key fail with precise
 * findings; `checkMeter({ push })` receives one during a live check.
 */

import { fromHex, toHex } from '@ami-interop/dlms';
import { decodeXdlmsApdu, encodeXdlmsApdu } from '@ami-interop/dlms/apdu';
import {
  checkMeter,
  checkPush,
  listenForPush,
  type SimulatedMeters,
  startSimulatedMeters,
} from '@ami-interop/dlms/is15959/node';
import { protectApdu, unprotectApdu } from '@ami-interop/dlms/security';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Data = Extract<ReturnType<typeof decodeXdlmsApdu>, { type: 'data-notification' }>['notificationBody'];

const sims: SimulatedMeters[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
});

async function freePort(): Promise<number> {
  let port = 0;
  const p = listenForPush({ port: 0, timeoutMs: 50, onListening: (x) => (port = x) });
  await p.catch(() => undefined);
  return port;
}

/** Starts a simulator pushing to a listener of ours and returns one push of `kind`. */
async function receivePush(sim: SimulatedMeters, port: number, kind: 'instantaneous' | 'alert') {
  const got = listenForPush({ port, timeoutMs: 5000 });
  await new Promise((r) => setTimeout(r, 30));
  const sent = await sim.meters[0]!.handle.push(kind);
  const apdu = await got;
  expect(toHex(apdu)).toBe(toHex(sent));
  return apdu;
}

let sim: SimulatedMeters;
let pushPort: number;
let inst: Uint8Array;
let keys64: { ek: Uint8Array; ak: Uint8Array };
let st: Uint8Array;

beforeAll(async () => {
  pushPort = await freePort();
  sim = await startSimulatedMeters({
    port: 0,
    meters: 1,
    seed: 'push-check',
    push: { host: '127.0.0.1', port: pushPort },
  });
  sims.push(sim);
  const m = sim.meters[0]!;
  keys64 = { ek: fromHex(m.keys['64'].guek), ak: fromHex(m.keys['64'].gak) };
  st = fromHex(m.systemTitle);
  inst = await receivePush(sim, pushPort, 'instantaneous');
}, 20_000);

/** The simulator's instantaneous push body, as sent. */
function base(): Data {
  return bodyOf(inst);
}

/** The body of a push, deciphered. */
function bodyOf(apdu: Uint8Array): Data {
  const x = decodeXdlmsApdu(unprotectApdu(apdu, keys64, { acceptPolicies: ['enc'] }).plain);
  if (x.type !== 'data-notification') throw new Error('not a push');
  return x.notificationBody;
}

function rebuild(body: Data, cipher = true): Uint8Array {
  const x = decodeXdlmsApdu(unprotectApdu(inst, keys64, { acceptPolicies: ['enc'] }).plain);
  const plain = encodeXdlmsApdu({ ...x, notificationBody: body } as typeof x);
  return cipher
    ? protectApdu(plain, {
        ...keys64,
        policy: 'enc',
        systemTitle: st,
        invocationCounter: 0x1000,
        kind: 'general-glo',
      })
    : plain;
}

describe('checkPush', () => {
  it('passes the simulator instantaneous push as sent (load limit = Limiter threshold_active, attribute 3)', () => {
    const r = checkPush(inst, { keys: sim.meters[0]! });
    expect(r.findings).toEqual([]);
    expect(r.status).toBe('pass');
  });

  it('passes the instantaneous push rebuilt from its body, and the alert push as sent', async () => {
    const r = checkPush(rebuild(base()), { keys: sim.meters[0]! });
    expect(r.findings).toEqual([]);
    expect(r.status).toBe('pass');
    expect(r.detail).toMatch(/^0\.0\.25\.9\.0\.255 \(instantaneous\), \d+ values, enc, \d+ bytes: DB/);
    const alert = await receivePush(sim, pushPort, 'alert');
    const a = checkPush(alert, { keys: keys64 });
    expect(a.status).toBe('pass');
    expect(a.detail).toMatch(/^0\.4\.25\.9\.0\.255 \(alert\), 1 values, enc/);
  });

  it('is skipped, saying why, for a ciphered push without keys', () => {
    const r = checkPush(inst);
    expect(r.status).toBe('skip');
    expect(r.detail).toMatch(/keys are needed/);
  });

  it('fails a plain push: the Push association requires enc', () => {
    const plain = rebuild(base(), false);
    const r = checkPush(plain, { keys: keys64 });
    expect(r.status).toBe('fail');
    expect(r.findings).toEqual([
      {
        id: 'push-ciphering',
        severity: 'error',
        message: 'the push is a plain data-notification; the IS 15959 Push association requires enc',
        path: 'push',
        bytes: toHex(plain),
      },
    ]);
  });

  it('fails a value of the wrong type, with its position and bytes', () => {
    const b = base();
    if (b.type !== 'structure') throw new Error('body');
    const v = [...b.value];
    v[3] = { type: 'visible-string', value: 'x' } as Data;
    const r = checkPush(rebuild({ type: 'structure', value: v }), { keys: keys64 });
    expect(r.status).toBe('fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      id: 'wrong-type',
      path: 'push[0.0.25.9.0.255].body[3]',
      message: expect.stringMatching(/must be .*, got visible-string$/),
      bytes: '0A0178',
    });
  });

  it('fails values out of the configured order and a missing value', () => {
    const b = base();
    if (b.type !== 'structure') throw new Error('body');
    // Swap the relay status (boolean) with the value before it (a number): both are then out of place.
    const v = [...b.value];
    const k = v.findIndex((x, n) => n >= 4 && x.type === 'boolean');
    expect(k).toBeGreaterThanOrEqual(4);
    const i = k - 1;
    [v[i], v[k]] = [v[k]!, v[i]!];
    const swapped = checkPush(rebuild({ type: 'structure', value: v }), { keys: keys64 });
    expect(swapped.status).toBe('fail');
    expect(swapped.findings.map((f) => f.path)).toEqual([
      `push[0.0.25.9.0.255].body[${i}]`,
      `push[0.0.25.9.0.255].body[${k}]`,
    ]);
    expect(swapped.findings[0]!.message).toMatch(/got boolean$/);
    expect(swapped.findings.every((f) => f.id === 'wrong-type')).toBe(true);
    const short = checkPush(rebuild({ type: 'structure', value: b.value.slice(0, -1) }), { keys: keys64 });
    expect(short.status).toBe('fail');
    expect(short.findings[0]).toMatchObject({
      id: 'push-format',
      message: expect.stringMatching(
        /the instantaneous push carries \d+ values after its clock, \d+ configured/,
      ),
    });
  });

  it('fails a push deciphered with a wrong key, saying enc alone cannot detect it', () => {
    const r = checkPush(inst, { keys: { ek: new Uint8Array(16), ak: new Uint8Array(16) } });
    expect(r.status).toBe('fail');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      id: 'push-format',
      message: expect.stringMatching(/does not decode: .*a wrong key cannot be detected/),
    });
  });

  it('fails an authenticated push whose tag does not verify', () => {
    const plain = rebuild(base(), false);
    const auth = protectApdu(plain, {
      ...keys64,
      policy: 'auth+enc',
      systemTitle: st,
      invocationCounter: 7,
      kind: 'general-glo',
    });
    expect(checkPush(auth, { keys: keys64 }).status).toBe('pass');
    const bad = auth.slice();
    bad[bad.length - 1]! ^= 1;
    const r = checkPush(bad, { keys: keys64 });
    expect(r.status).toBe('fail');
    expect(r.findings[0]).toMatchObject({
      id: 'read-failed',
      message: expect.stringMatching(/AUTHENTICATION_FAILED/),
      bytes: toHex(bad),
    });
  });

  it('never throws on random bytes', () => {
    for (let n = 0; n < 300; n++) {
      const b = new Uint8Array(1 + ((n * 7) % 60)).map((_, k) => (n * 31 + k * 17) & 0xff);
      b[0] = [0x0f, 0xdb, 0xdd, 0xc4][n % 4]!;
      const r = checkPush(b, { keys: keys64 });
      expect(['fail', 'skip']).toContain(r.status);
    }
  });
});

describe('checkMeter with push.listen', () => {
  it('receives one push during the live check and checks it', async () => {
    const port = await freePort();
    const s = await startSimulatedMeters({
      port: 0,
      meters: 1,
      seed: 'push-live',
      push: { host: '127.0.0.1', port },
    });
    sims.push(s);
    const m = s.meters[0]!;
    let listening!: () => void;
    const up = new Promise<void>((r) => {
      listening = r;
    });
    const report = checkMeter({
      host: m.host,
      port: m.port,
      keys: m,
      replayTimeoutMs: 500,
      push: { listen: { port }, timeoutMs: 20_000, onListening: () => listening() },
    });
    await up;
    await m.handle.push('alert');
    const r = await report;
    const push = r.checks.find((c) => c.id === 'push')!;
    expect(push.status).toBe('pass');
    expect(push.detail).toMatch(/^0\.4\.25\.9\.0\.255 \(alert\)/);
    expect(r.passed).toBe(true);
  }, 40_000);

  it('fails the push check when no push comes in time', async () => {
    const s = sims[0]!.meters[0]!;
    const r = await checkMeter({
      host: s.host,
      port: s.port,
      push: { listen: { port: 0 }, timeoutMs: 200 },
    });
    const push = r.checks.find((c) => c.id === 'push')!;
    expect(push.status).toBe('fail');
    expect(push.findings[0]!.message).toMatch(/no push arrived within 200 ms/);
  }, 30_000);
});
