import type { BenchCase } from '@ami-interop/bench';
import {
  decodeXdlmsApdu,
  encodeXdlmsApdu,
  GbtAssembler,
  GetBlockAssembler,
  type GetResponse,
  gbtBlocks,
  getResponseBlocks,
  invokeIdAndPriority,
} from '../src/apdu/index.ts';
import { type Data, decodeData } from '../src/axdr/index.ts';
import { blockLoad } from './block-load.ts';

/**
 * APDU-level figures for reading an IS 15959 block-load profile: 3360 rows (35 days of 15-minute
 * intervals) of the 8 single-phase capture columns, the same buffer as the A-XDR benchmark, here inside a
 * get-response: whole (get-response-normal), and cut into get-response-with-datablock blocks for a
 * negotiated PDU of 1200 octets that are decoded and reassembled (each block decoded from its bytes, the
 * raw data joined once, the Data decoded). GBT: the same whole get-response carried by general block
 * transfer in 1200-octet blocks, window 8, streaming. The buffer comes from ./block-load.ts.
 */
export function cases(): BenchCase[] {
  const rows = 3360;
  const maxPduSize = 1200;
  const iid = invokeIdAndPriority(1);
  const data = blockLoad(rows);
  const normal: GetResponse = { type: 'get-response-normal', invokeIdAndPriority: iid, result: { data } };
  const normalBytes = encodeXdlmsApdu(normal);
  const blocks = getResponseBlocks({ invokeIdAndPriority: iid, data, maxPduSize, forceBlocks: true });
  const blockBytes = blocks.map(encodeXdlmsApdu);
  const blockTotal = blockBytes.reduce((n, b) => n + b.length, 0);
  const gbt = gbtBlocks(normalBytes, { maxPduSize, window: 8, streaming: true }).map(encodeXdlmsApdu);
  const gbtTotal = gbt.reduce((n, b) => n + b.length, 0);
  const group = 'dlms/apdu';
  const common = { items: rows, itemName: 'rows' };
  return [
    {
      group,
      name: `decode block-load get-response-normal (${rows} rows, ${normalBytes.length} octets)`,
      fn: () => decodeXdlmsApdu(normalBytes),
      bytes: normalBytes.length,
      ...common,
    },
    {
      group,
      name: `encode block-load get-response-normal (${rows} rows)`,
      fn: () => encodeXdlmsApdu(normal),
      bytes: normalBytes.length,
      ...common,
    },
    {
      group,
      name: `decode + reassemble ${blocks.length} get-response-with-datablock APDUs (PDU ${maxPduSize}, ${rows} rows)`,
      fn: () => {
        const asm = new GetBlockAssembler();
        let out: Data | undefined;
        for (const b of blockBytes) {
          const step = asm.push(decodeXdlmsApdu(b) as GetResponse);
          if (step.done) out = step.data;
        }
        return out;
      },
      bytes: blockTotal,
      ...common,
    },
    {
      group,
      name: `cut + encode ${blocks.length} get-response-with-datablock APDUs (PDU ${maxPduSize}, ${rows} rows)`,
      fn: () =>
        getResponseBlocks({ invokeIdAndPriority: iid, data, maxPduSize, forceBlocks: true }).map(
          encodeXdlmsApdu,
        ),
      bytes: blockTotal,
      ...common,
    },
    {
      group,
      name: `decode + reassemble ${gbt.length} general-block-transfer APDUs, then the get-response (window 8, ${rows} rows)`,
      fn: () => {
        const asm = new GbtAssembler({ window: 8 });
        let whole: Uint8Array | undefined;
        for (const b of gbt) {
          const step = asm.push(decodeXdlmsApdu(b) as never);
          if (step.complete) whole = step.complete;
        }
        return decodeXdlmsApdu(whole!);
      },
      bytes: gbtTotal,
      ...common,
    },
    {
      group,
      name: `A-XDR only, for comparison: decodeData of the same buffer (${rows} rows)`,
      fn: () => decodeData(normalBytes.subarray(4)),
      bytes: normalBytes.length - 4,
      ...common,
    },
  ];
}
