import { describe, expect, it } from 'vitest';
import { isDlmsError } from '../src/errors.ts';
import { ApduQueue, createMemoryLinkPair, MemoryLinkListener } from '../src/link/index.ts';

const addr = { client: 16, server: 1 };

describe('memory links', () => {
  it('carry APDUs in order both ways, as copies', async () => {
    const [c, s] = createMemoryLinkPair(addr);
    const a = Uint8Array.of(0xc0, 1, 2);
    await c.send(a);
    await c.send(Uint8Array.of(0xc0, 3));
    a[1] = 9;
    expect([...(await s.receive())]).toEqual([0xc0, 1, 2]);
    expect([...(await s.receive())]).toEqual([0xc0, 3]);
    await s.send(Uint8Array.of(0xc4));
    expect([...(await c.receive())]).toEqual([0xc4]);
  });

  it('time out without closing, and close both sides with a reason', async () => {
    const [c, s] = createMemoryLinkPair(addr);
    await expect(c.receive({ timeoutMs: 10 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(c.isOpen).toBe(true);
    const pending = s.receive();
    await c.close();
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(await c.closed).toEqual({ by: 'local' });
    expect(await s.closed).toEqual({ by: 'remote' });
    await expect(c.send(Uint8Array.of(1))).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('deliver what was received before the close, then report the close', async () => {
    const [c, s] = createMemoryLinkPair(addr);
    await c.send(Uint8Array.of(7));
    await c.close();
    expect([...(await s.receive())]).toEqual([7]);
    await expect(s.receive()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('bound what a peer can queue without it being read', async () => {
    const [c, s] = createMemoryLinkPair(addr, { queueLimit: 3 });
    for (let i = 0; i < 3; i++) await c.send(Uint8Array.of(i));
    const err = await c.send(Uint8Array.of(3)).catch((e) => e);
    expect(isDlmsError(err, 'LIMIT_EXCEEDED')).toBe(true);
    expect(s.isOpen).toBe(false);
  });

  it('abort a receive with a signal', async () => {
    const q = new ApduQueue();
    const ac = new AbortController();
    const p = q.take({ signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('listener hands server sides to accept() in order', async () => {
    const l = new MemoryLinkListener();
    const it = l.accept();
    const c1 = l.connect({ client: 32, server: 1 });
    const c2 = l.connect({ client: 48, server: 1 });
    const s1 = (await it.next()).value!;
    const s2 = (await it.next()).value!;
    expect(s1.address.client).toBe(32);
    expect(s2.address.client).toBe(48);
    await c1.send(Uint8Array.of(1));
    expect([...(await s1.receive())]).toEqual([1]);
    await l.close();
    expect((await it.next()).done).toBe(true);
    await c2.close();
  });
});
