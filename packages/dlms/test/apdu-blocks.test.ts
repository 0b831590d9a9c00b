import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionRequestBlocks,
  apduFromJson,
  apduToJson,
  DEFAULT_MAX_REASSEMBLED_SIZE,
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  GbtAssembler,
  type GeneralBlockTransfer,
  GetBlockAssembler,
  type GetResponse,
  type GetResponseWithDatablock,
  gbtBlocks,
  getResponseBlocks,
  invokeIdAndPriority,
  maxBlockDataSize,
  setRequestBlocks,
  splitIntoBlocks,
  type XdlmsApdu,
} from '../src/apdu/index.ts';
import { type Data, encodeData } from '../src/axdr/index.ts';
import { isDlmsError } from '../src/errors.ts';
import { fromHex, toHex } from '../src/internal/hex.ts';
import { obis } from '../src/obis/index.ts';
import { arbData } from './arbitraries.ts';

const codeOf = (e: unknown): string | undefined => (isDlmsError(e) ? e.code : undefined);
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};
const iid = invokeIdAndPriority(1);
/** Every APDU goes through its bytes, as it would on a link. */
const wire = <T extends XdlmsApdu>(x: T): T => decodeXdlmsApdu(encodeXdlmsApdu(x)) as T;
const concat = (parts: Uint8Array[]): string => parts.map((p) => toHex(p)).join('');

/** A Data of about `n` encoded octets. */
const bigData = (n: number): Data => ({
  type: 'octet-string',
  value: new Uint8Array(n).map((_, i) => i * 7),
});

describe('splitIntoBlocks', () => {
  it('fills each block exactly up to the PDU size, accounting for the length form', () => {
    // GBT header 6: 6 + 1 + 121 = 128 fits a 128-octet PDU; 122 octets would need 6 + 1 + 122 = 129.
    expect(maxBlockDataSize(128, 6)).toBe(121);
    // Around the 127/128 boundary the long form costs one octet more: 6 + 1 + 127 = 134 but 6 + 2 + 128 = 136.
    expect(maxBlockDataSize(135, 6)).toBe(127);
    expect(maxBlockDataSize(136, 6)).toBe(128);
    expect(maxBlockDataSize(1200, 9)).toBe(1188);
    expect(maxBlockDataSize(8, 6)).toBe(1);
    expect(codeOf(thrown(() => maxBlockDataSize(7, 6)))).toBe('INVALID_ARGUMENT');
    const parts = splitIntoBlocks(new Uint8Array(300), 128);
    expect(parts.map((p) => p.length)).toEqual([121, 121, 58]);
    expect(splitIntoBlocks(new Uint8Array(0), 128)).toHaveLength(1);
  });

  it('gives views, not copies', () => {
    const payload = new Uint8Array(50);
    const [first] = splitIntoBlocks(payload, 20);
    expect(first!.buffer).toBe(payload.buffer);
  });

  it('every built APDU fits, and no non-last block could carry one more octet', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 30, max: 1300 }), (n, maxPduSize) => {
        const data = bigData(n);
        const all: XdlmsApdu[][] = [
          getResponseBlocks({ invokeIdAndPriority: iid, data, maxPduSize, forceBlocks: true }),
          setRequestBlocks({
            invokeIdAndPriority: iid,
            attribute: { classId: 1, instanceId: obis(0, 0, 96, 1, 0), attributeId: 2 },
            value: data,
            maxPduSize,
          }),
          actionRequestBlocks({
            invokeIdAndPriority: iid,
            method: { classId: 18, instanceId: obis(0, 0, 44, 0, 0), methodId: 2 },
            parameters: data,
            maxPduSize,
          }),
          gbtBlocks(encodeData(data), { maxPduSize }),
        ];
        for (const apdus of all) {
          apdus.forEach((apdu, i) => {
            const size = encodeXdlmsApdu(apdu).length;
            expect(size).toBeLessThanOrEqual(maxPduSize);
            if (i < apdus.length - 1) {
              const grown = apduFromJson(apduToJson(apdu)) as unknown as Record<string, unknown>;
              const holder = (grown.result ?? grown.datablock ?? grown.pblock ?? grown) as Record<
                string,
                Uint8Array
              >;
              const key = 'rawData' in holder ? 'rawData' : 'blockData';
              holder[key] = new Uint8Array(holder[key]!.length + 1);
              expect(encodeXdlmsApdu(grown as unknown as XdlmsApdu).length).toBeGreaterThan(maxPduSize);
            }
          });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('sends a normal APDU when it fits', () => {
    const small: Data = { type: 'long-unsigned', value: 230 };
    expect(getResponseBlocks({ invokeIdAndPriority: iid, data: small, maxPduSize: 64 })[0]!.type).toBe(
      'get-response-normal',
    );
    const set = setRequestBlocks({
      invokeIdAndPriority: iid,
      attribute: { classId: 3, instanceId: obis(1, 0, 32, 7, 0), attributeId: 2 },
      value: small,
      maxPduSize: 64,
    });
    expect(toHex(encodeXdlmsApdu(set[0]!))).toBe('C101C100030100200700FF02001200E6');
    const act = actionRequestBlocks({
      invokeIdAndPriority: iid,
      method: { classId: 70, instanceId: obis(0, 0, 96, 3, 10), methodId: 1 },
      parameters: { type: 'integer', value: 0 },
      maxPduSize: 64,
    });
    expect(toHex(encodeXdlmsApdu(act[0]!))).toBe('C301C1004600006003 0AFF01010F00'.replace(/ /g, ''));
  });

  it('numbers set and action blocks from 1 and carries the Data encoding', () => {
    const data = bigData(500);
    const set = setRequestBlocks({
      invokeIdAndPriority: iid,
      attribute: { classId: 1, instanceId: obis(0, 0, 96, 1, 0), attributeId: 2 },
      value: data,
      maxPduSize: 128,
    });
    expect(set[0]!.type).toBe('set-request-with-first-datablock');
    expect(set.slice(1).every((s) => s.type === 'set-request-with-datablock')).toBe(true);
    const blocks = set.map((s) => ('datablock' in s ? s.datablock : undefined)!);
    expect(blocks.map((b) => b.blockNumber)).toEqual(set.map((_, i) => i + 1));
    expect(blocks.map((b) => b.lastBlock)).toEqual(set.map((_, i) => i === set.length - 1));
    expect(concat(blocks.map((b) => b.rawData))).toBe(toHex(encodeData(data)));
  });
});

describe('GetBlockAssembler', () => {
  const blocksOf = (data: Data, maxPduSize: number) =>
    getResponseBlocks({ invokeIdAndPriority: iid, data, maxPduSize, forceBlocks: true }).map(wire);

  it('reassembles any split of any Data, asking for each next block', () => {
    fc.assert(
      fc.property(arbData, fc.integer({ min: 12, max: 200 }), (data, maxPduSize) => {
        const blocks = blocksOf(data, maxPduSize);
        const asm = new GetBlockAssembler();
        for (let i = 0; i < blocks.length - 1; i++) {
          const step = asm.push(blocks[i]!);
          expect(step.done).toBe(false);
          if (!step.done)
            expect(step.next).toEqual({
              type: 'get-request-next',
              invokeIdAndPriority: iid,
              blockNumber: i + 1,
            });
        }
        const last = asm.push(blocks[blocks.length - 1]!);
        expect(last.done).toBe(true);
        if (last.done) {
          expect(last.data).toEqual(data);
          expect(toHex(last.raw)).toBe(toHex(encodeData(data)));
          expect(last.blocks).toBe(blocks.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('takes a get-response-normal as the whole answer', () => {
    const step = new GetBlockAssembler().push(
      wire({
        type: 'get-response-normal',
        invokeIdAndPriority: iid,
        result: { data: { type: 'unsigned', value: 7 } },
      }),
    );
    expect(step.done && step.data).toEqual({ type: 'unsigned', value: 7 });
  });

  it('reports duplicate, skipped and foreign blocks as PROTOCOL_ERROR, and stays failed', () => {
    const blocks = blocksOf(bigData(400), 64);
    expect(blocks.length).toBeGreaterThan(4);
    const dup = new GetBlockAssembler();
    dup.push(blocks[0]!);
    dup.push(blocks[1]!);
    let e = thrown(() => dup.push(blocks[1]!));
    expect(codeOf(e)).toBe('PROTOCOL_ERROR');
    expect(String((e as Error).message)).toContain('duplicate block 2');
    expect(codeOf(thrown(() => dup.push(blocks[2]!)))).toBe('PROTOCOL_ERROR');

    const skip = new GetBlockAssembler();
    skip.push(blocks[0]!);
    e = thrown(() => skip.push(blocks[2]!));
    expect(codeOf(e)).toBe('PROTOCOL_ERROR');
    expect(String((e as Error).message)).toContain('out-of-order block 3');

    const first = new GetBlockAssembler();
    expect(codeOf(thrown(() => first.push(blocks[1]!)))).toBe('PROTOCOL_ERROR');

    const foreign = new GetBlockAssembler();
    foreign.push(blocks[0]!);
    const other = { ...(blocks[1] as GetResponseWithDatablock), invokeIdAndPriority: invokeIdAndPriority(2) };
    expect(codeOf(thrown(() => foreign.push(other)))).toBe('PROTOCOL_ERROR');

    const done = new GetBlockAssembler();
    for (const b of blocks) done.push(b);
    expect(codeOf(thrown(() => done.push(blocks[0]!)))).toBe('PROTOCOL_ERROR');
  });

  it('reports a server abort as SERVICE_ERROR, a cap as LIMIT_EXCEEDED, a short Data as MALFORMED', () => {
    const abort = new GetBlockAssembler();
    abort.push(wire(decodeXdlmsApdu(fromHex('C402C100000000010002 0102'.replace(/ /g, ''))) as GetResponse));
    const e = thrown(() => abort.push(decodeXdlmsApdu(fromHex('C402C101000000020110')) as GetResponse));
    expect(codeOf(e)).toBe('SERVICE_ERROR');
    expect(String((e as Error).message)).toContain('no-long-get-in-progress');

    const blocks = blocksOf(bigData(400), 64);
    const capped = new GetBlockAssembler({ maxSize: 100 });
    expect(
      codeOf(
        thrown(() => {
          for (const b of blocks) capped.push(b);
        }),
      ),
    ).toBe('LIMIT_EXCEEDED');
    expect(DEFAULT_MAX_REASSEMBLED_SIZE).toBe(16 * 1024 * 1024);

    // An array announcing 3 elements, then the last block.
    const short = new GetBlockAssembler();
    short.push(decodeXdlmsApdu(fromHex('C402C100000000010002 0103'.replace(/ /g, ''))) as GetResponse);
    const m = thrown(() =>
      short.push(decodeXdlmsApdu(fromHex('C402C101000000020002 1101'.replace(/ /g, ''))) as GetResponse),
    );
    expect(codeOf(m)).toBe('MALFORMED');
  });
});

describe('GbtAssembler', () => {
  it('reassembles any payload at any size and window, acknowledging exactly at window ends', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 10, max: 300 }),
        fc.integer({ min: 1, max: 63 }),
        fc.boolean(),
        (payload, maxPduSize, window, streaming) => {
          const blocks = gbtBlocks(payload, { maxPduSize, window, streaming }).map(wire);
          const asm = new GbtAssembler({ window });
          let acks = 0;
          let complete: Uint8Array | undefined;
          blocks.forEach((b, i) => {
            const step = asm.push(b);
            const last = i === blocks.length - 1;
            const windowEnd = !streaming || (i + 1) % window === 0;
            expect(step.ack !== undefined).toBe(!last && windowEnd);
            if (step.ack) {
              acks++;
              expect(step.ack.blockNumberAck).toBe(b.blockNumber);
              expect(step.ack.blockNumber).toBe(acks);
              expect(step.ack.window).toBe(window);
              expect(step.ack.blockData).toHaveLength(0);
              expect(encodeXdlmsApdu(step.ack)).toHaveLength(7);
            }
            if (last) complete = step.complete;
          });
          expect(complete && toHex(complete)).toBe(toHex(payload));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('acknowledges every `window` blocks when the sender keeps the streaming bit set', () => {
    const blocks = gbtBlocks(new Uint8Array(100), { maxPduSize: 17, window: 3 }).map((b, i, all) => ({
      ...b,
      streaming: i < all.length - 1,
    }));
    expect(blocks.length).toBe(10);
    const asm = new GbtAssembler({ window: 3 });
    const acked = blocks.map((b) => asm.push(b).ack?.blockNumberAck);
    expect(acked).toEqual([
      undefined,
      undefined,
      3,
      undefined,
      undefined,
      6,
      undefined,
      undefined,
      9,
      undefined,
    ]);
  });

  it('reports duplicate and out-of-order blocks as PROTOCOL_ERROR by default', () => {
    const blocks = gbtBlocks(new Uint8Array(100), { maxPduSize: 20 });
    const a = new GbtAssembler();
    a.push(blocks[0]!);
    expect(codeOf(thrown(() => a.push(blocks[0]!)))).toBe('PROTOCOL_ERROR');
    const b = new GbtAssembler();
    b.push(blocks[0]!);
    const e = thrown(() => b.push(blocks[2]!));
    expect(codeOf(e)).toBe('PROTOCOL_ERROR');
    expect(String((e as Error).message)).toContain('out-of-order GBT block 3');
  });

  it("in 'recover' mode drops a block after a gap and asks for the rest again", () => {
    const payload = new Uint8Array(200).map((_, i) => i);
    const blocks: GeneralBlockTransfer[] = gbtBlocks(payload, { maxPduSize: 30, window: 4, streaming: true });
    const asm = new GbtAssembler({ window: 4, onGap: 'recover' });
    expect(asm.push(blocks[0]!)).toEqual({});
    // Block 2 is lost; 3 and 4 (end of window) arrive.
    expect(asm.push(blocks[2]!)).toEqual({ dropped: true });
    const step = asm.push(blocks[3]!);
    expect(step.dropped).toBe(true);
    expect(step.ack?.blockNumberAck).toBe(1);
    // The sender resends from block 2.
    let complete: Uint8Array | undefined;
    for (const b of blocks.slice(1)) complete = asm.push(b).complete ?? complete;
    expect(complete && toHex(complete)).toBe(toHex(payload));
  });

  it('caps the reassembled size', () => {
    const blocks = gbtBlocks(new Uint8Array(500), { maxPduSize: 100 });
    const asm = new GbtAssembler({ maxSize: 200 });
    expect(
      codeOf(
        thrown(() => {
          for (const b of blocks) asm.push(b);
        }),
      ),
    ).toBe('LIMIT_EXCEEDED');
  });
});
