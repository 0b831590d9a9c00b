import { describe, expect, it } from 'vitest';
import { encodeAarq } from '../src/acse/index.ts';
import { decodeCapture } from '../src/capture/index.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { encodeWrapperFrame } from '../src/wrapper/index.ts';

// Green Book suite-0 example (see conformance-vectors/dlms/security-*.json and shared/reference/dlms.md):
// the glo-get-request for the clock, authenticated and encrypted.
const EK = fromHex('000102030405060708090A0B0C0D0E0F');
const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
const CLIENT_TITLE = '4D4D4D0000BC614E';
const GLO_GET = fromHex('C8 1E 30 01234567 411312FF935A47566827C467BC 7D825C3BE4A77C3FCC056B6B');
const PLAIN_GET = 'C0010000080000010000FF0200';

const aarq = encodeAarq({
  type: 'aarq',
  applicationContextName: 'ln-ciphered',
  callingApTitle: CLIENT_TITLE,
});
const wrap = (source: number, destination: number, apdu: Uint8Array) =>
  encodeWrapperFrame({ source, destination, apdu });

describe('decodeCapture', () => {
  it('learns the client system title from the AARQ and deciphers the Green Book glo-get-request', () => {
    const entries = decodeCapture([wrap(16, 1, aarq), wrap(16, 1, GLO_GET)], { keys: { ek: EK, ak: AK } });
    expect(entries).toHaveLength(2);
    expect(entries[0]!.apdu!.name).toBe('aarq');
    expect(entries[0]!.direction).toBe('client-to-server');
    const sec = entries[1]!.apdu!.security!;
    expect(entries[1]!.apdu!.name).toBe('glo-get-request');
    expect(sec.error).toBeUndefined();
    expect(sec.invocationCounter).toBe(0x01234567);
    expect(sec.systemTitle).toBe(CLIENT_TITLE);
    expect(sec.plain!.hex).toBe(PLAIN_GET);
  });

  it('takes the system title from the options when the capture has no AARQ, as one byte stream', () => {
    const stream = wrap(16, 1, GLO_GET);
    const [e] = decodeCapture(stream, { keys: { ek: EK, ak: AK }, clientSystemTitle: fromHex(CLIENT_TITLE) });
    expect(e!.apdu!.security!.plain!.hex).toBe(PLAIN_GET);
  });

  it('reports a wrong key on that entry as AUTHENTICATION_FAILED and goes on', () => {
    const bad = fromHex('00'.repeat(16));
    const entries = decodeCapture([wrap(16, 1, aarq), wrap(16, 1, GLO_GET), wrap(16, 1, aarq)], {
      keys: { ek: bad, ak: AK },
    });
    expect(entries[1]!.apdu!.security!.error!.code).toBe('AUTHENTICATION_FAILED');
    expect(entries[1]!.apdu!.security!.plain).toBeUndefined();
    expect(entries[2]!.apdu!.name).toBe('aarq');
  });

  it('says why it cannot decipher without keys or without a system title', () => {
    expect(decodeCapture([GLO_GET])[0]!.apdu!.security!.error!.code).toBe('NO_KEYS');
    expect(decodeCapture([GLO_GET], { keys: { ek: EK, ak: AK } })[0]!.apdu!.security!.error!.code).toBe(
      'NO_SYSTEM_TITLE',
    );
  });

  it('decodes HDLC link frames and their direction (SNRM from client 16 to server 1)', () => {
    const [e] = decodeCapture(fromHex('7EA0070321930F017E'));
    expect(e!.framing).toBe('hdlc');
    expect(e!.note).toBe('SNRM');
    expect(e!.direction).toBe('client-to-server');
    expect(e!.error).toBeUndefined();
  });

  it('reports garbage and a corrupt frame in a stream with their offsets, and keeps the good frames', () => {
    const good = fromHex('7EA0070321930F017E');
    const corrupt = Uint8Array.from(good);
    corrupt[5] = 0x94; // control byte changed: the HCS no longer matches
    const stream = new Uint8Array([...good, ...corrupt, ...good]);
    const entries = decodeCapture(stream);
    const kinds = entries.map((e) => (e.error ? `error@${e.offset}:${e.error.code}` : `frame@${e.offset}`));
    expect(kinds[0]).toBe('frame@0');
    expect(kinds.some((k) => k.startsWith(`error@${good.length}:`))).toBe(true);
    expect(kinds.at(-1)).toBe(`frame@${2 * good.length}`);
  });

  it('never throws on random input', () => {
    for (let i = 0; i < 2000; i++) {
      const n = (i * 7919) % 97;
      const b = new Uint8Array(n);
      for (let j = 0; j < n; j++) b[j] = (i * 31 + j * 17 + ((i * j) % 13)) & 0xff;
      if (i % 3 === 0 && n > 0) b[0] = 0x7e;
      if (i % 3 === 1 && n > 1) {
        b[0] = 0;
        b[1] = 1;
      }
      expect(() => decodeCapture(b, { keys: { ek: EK, ak: AK } })).not.toThrow();
    }
    expect(toHex(GLO_GET).length).toBeGreaterThan(0);
  });
});

describe('decodeCapture over HDLC I-frames', () => {
  it('strips the LLC header and reassembles a segmented AARQ, per direction', async () => {
    const { addLlc, clientAddress, encodeHdlcFrame, segmentPayload, serverAddress } = await import(
      '../src/hdlc/index.ts'
    );
    const segments = segmentPayload(addLlc(aarq, 'command'), 20);
    expect(segments.length).toBeGreaterThan(1);
    const frames = segments.map((s, i) =>
      encodeHdlcFrame({
        segmented: s.segmented,
        destination: serverAddress(1, 17),
        source: clientAddress(16),
        control: { type: 'I', ns: i % 8, nr: 0, pf: true },
        info: s.info,
      }),
    );
    const entries = decodeCapture(frames);
    expect(entries).toHaveLength(segments.length);
    for (const e of entries.slice(0, -1)) {
      expect(e.apdu).toBeUndefined();
      expect(e.note).toBe('HDLC segment, more follow');
      expect(e.direction).toBe('client-to-server');
    }
    const last = entries.at(-1)!;
    expect(last.apdu!.name).toBe('aarq');
    expect(last.apdu!.hex).toBe(toHex(aarq));
    expect((last.apdu!.decoded as { callingApTitle: string }).callingApTitle).toBe(CLIENT_TITLE);
  });
});

describe('decodeCapture follows GET block transfer', () => {
  it('reassembles get-response-with-datablock blocks into the whole value on the last block', async () => {
    const { encodeXdlmsApdu, getResponseBlocks } = await import('../src/apdu/index.ts');
    const { dataToJson } = await import('../src/axdr/index.ts');
    const rows = Array.from({ length: 40 }, (_, i) => ({
      type: 'structure' as const,
      value: [
        { type: 'double-long-unsigned' as const, value: 1000 + i },
        { type: 'long-unsigned' as const, value: 2300 + i },
      ],
    }));
    const data = { type: 'array' as const, value: rows };
    const iid = { invokeId: 5, serviceClass: 'confirmed', priority: 'high' } as const;
    const blocks = getResponseBlocks({ invokeIdAndPriority: iid, data, maxPduSize: 64 });
    expect(blocks.length).toBeGreaterThan(3);
    const frames = blocks.map((b) => wrap(1, 16, encodeXdlmsApdu(b)));
    const entries = decodeCapture(frames);
    for (const e of entries.slice(0, -1)) {
      expect(e.apdu!.name).toBe('get-response-with-datablock');
      expect(e.apdu!.reassembled).toBeUndefined();
    }
    const last = entries.at(-1)!.apdu!;
    expect(last.error).toBeUndefined();
    expect(last.reassembled).toEqual({ blocks: blocks.length, data: dataToJson(data) });
  });

  it('reports an out-of-order block on its entry', async () => {
    const { encodeXdlmsApdu, getResponseBlocks } = await import('../src/apdu/index.ts');
    const data = { type: 'octet-string' as const, value: new Uint8Array(300) };
    const iid = { invokeId: 1, serviceClass: 'confirmed', priority: 'high' } as const;
    const blocks = getResponseBlocks({ invokeIdAndPriority: iid, data, maxPduSize: 64 });
    const frames = [blocks[0]!, blocks[2]!].map((b) => wrap(1, 16, encodeXdlmsApdu(b)));
    const entries = decodeCapture(frames);
    expect(entries[1]!.apdu!.error!.code).toBe('PROTOCOL_ERROR');
  });

  it('notes, without an error, a block of a transfer that started before the capture', async () => {
    const { encodeXdlmsApdu, getResponseBlocks } = await import('../src/apdu/index.ts');
    const data = { type: 'octet-string' as const, value: new Uint8Array(300) };
    const iid = { invokeId: 1, serviceClass: 'confirmed', priority: 'high' } as const;
    const blocks = getResponseBlocks({ invokeIdAndPriority: iid, data, maxPduSize: 64 });
    const [e] = decodeCapture([wrap(1, 16, encodeXdlmsApdu(blocks[2]!))]);
    expect(e!.apdu!.error).toBeUndefined();
    expect(e!.apdu!.note).toBe('block 3 of a GET transfer that started before the capture');
  });
});

describe('decodeCapture with the node:crypto backend', () => {
  it('deciphers the Green Book glo-get-request the same way', async () => {
    const { nodeCryptoBackend } = await import('../src/security/node.ts');
    const [e] = decodeCapture([GLO_GET], {
      keys: { ek: EK, ak: AK },
      clientSystemTitle: fromHex(CLIENT_TITLE),
      backend: nodeCryptoBackend,
    });
    expect(e!.apdu!.security!.plain!.hex).toBe(PLAIN_GET);
  });
});
