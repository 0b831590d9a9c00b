/**
 * Block transfer helpers (IEC 62056-5-3 / Green Book, GET/SET/ACTION with blocks and general block
 * transfer):
 *
 * - {@link GetBlockAssembler} takes the get-response-with-datablock APDUs of one long GET, checks the block
 *   numbers, says which get-request-next to send, and decodes the Data when the last block is in;
 * - {@link GbtAssembler} takes general-block-transfer APDUs, with windows and streaming, says which
 *   acknowledgements to send, and gives the carried APDU back whole;
 * - {@link splitIntoBlocks} cuts a payload so that every APDU carrying a piece fits the negotiated PDU
 *   size, header included; {@link setRequestBlocks}, {@link actionRequestBlocks},
 *   {@link getResponseBlocks} and {@link gbtBlocks} build the APDU sequences.
 *
 * Block numbers start at 1 for every kind of block transfer. The raw data of DataBlock-G / DataBlock-SA is
 * the A-XDR encoding of the whole Data (tag included), cut anywhere; GBT carries the encoding of a whole
 * xDLMS APDU, cut anywhere.
 *
 * Header sizes used to fit a block into `maxPduSize` (the server- or client-max-receive-pdu-size from the
 * InitiateResponse / InitiateRequest; a ciphered APDU adds its own overhead, pass it in `extraOverhead`):
 *
 * | APDU | octets before the raw data's length |
 * |---|---|
 * | general-block-transfer | 6: tag, block-control, block-number (2), block-number-ack (2) |
 * | get-response-with-datablock | 9: tag, choice, invoke-id, last-block, block-number (4), raw-data choice |
 * | set-request-with-datablock, action-request-with-pblock, action-response-with-pblock | 8 |
 * | set-request-with-first-datablock | 17 + access-selection (1 when absent) |
 * | action-request-with-first-pblock | 17 |
 *
 * @module
 */
import { decodeData, encodeData } from '../axdr/codec.ts';
import type { Data, DataLimits } from '../axdr/types.ts';
import { DlmsError, isDlmsError } from '../errors.ts';
import { Writer } from '../internal/writer.ts';
import type { ActionRequest } from './action.ts';
import { checkInt, invalid, lengthSize } from './common.ts';
import type { CosemAttributeDescriptor, CosemMethodDescriptor } from './descriptors.ts';
import { writeOptionalAccessSelection } from './descriptors.ts';
import type { GeneralBlockTransfer } from './general-block-transfer.ts';
import type { GetRequestNext, GetResponse } from './get.ts';
import { type InvokeIdAndPriority, invokeIdAndPriorityToByte } from './invoke-id.ts';
import type { SelectiveAccessDescriptor } from './selective-access.ts';
import type { SetRequest } from './set.ts';

/** Octets of a general-block-transfer APDU before its block-data length. */
export const GBT_HEADER_SIZE = 6;
/** Octets of a get-response-with-datablock APDU before its raw-data length. */
export const GET_DATABLOCK_HEADER_SIZE = 9;
/** Octets of a set-request-with-datablock / action-request-with-pblock / action-response-with-pblock. */
export const SA_DATABLOCK_HEADER_SIZE = 8;
/** Octets of set-request-with-first-datablock or action-request-with-first-pblock, without access-selection. */
export const FIRST_DATABLOCK_HEADER_SIZE = 17;

/** Default cap on a reassembled payload: 16 MiB. */
export const DEFAULT_MAX_REASSEMBLED_SIZE = 16 * 1024 * 1024;

/**
 * The largest block that fits: the greatest `n` with `headerSize + lengthSize(n) + n <= maxPduSize`.
 * Throws `INVALID_ARGUMENT` when not even one octet fits.
 */
export function maxBlockDataSize(maxPduSize: number, headerSize: number): number {
  checkInt(maxPduSize, 1, 0xffffffff, 'maxPduSize');
  checkInt(headerSize, 0, 0xffffffff, 'headerSize');
  let n = maxPduSize - headerSize - 1;
  while (n > 0 && headerSize + lengthSize(n) + n > maxPduSize) n--;
  if (n <= 0)
    invalid(
      `maxPduSize ${maxPduSize} leaves no room for data after a ${headerSize}-octet header`,
      'maxPduSize',
    );
  return n;
}

/**
 * Cuts `payload` into views (no copies) such that each, with its header and its A-XDR length, fits in
 * `maxPduSize`. `headerSize` defaults to the general-block-transfer header ({@link GBT_HEADER_SIZE});
 * `firstHeaderSize` is the first APDU's header when it differs (a first datablock carries the descriptor).
 * An empty payload gives one empty block.
 */
export function splitIntoBlocks(
  payload: Uint8Array,
  maxPduSize: number,
  headerSize: number = GBT_HEADER_SIZE,
  firstHeaderSize: number = headerSize,
): Uint8Array[] {
  if (!(payload instanceof Uint8Array)) invalid('payload must be a Uint8Array', 'payload');
  const first = maxBlockDataSize(maxPduSize, firstHeaderSize);
  const rest = maxBlockDataSize(maxPduSize, headerSize);
  const out: Uint8Array[] = [payload.subarray(0, Math.min(first, payload.length))];
  for (let at = first; at < payload.length; at += rest)
    out.push(payload.subarray(at, Math.min(at + rest, payload.length)));
  return out;
}

function encoded(x: Data | Uint8Array): Uint8Array {
  return x instanceof Uint8Array ? x : encodeData(x);
}

function accessSelectionSize(s: SelectiveAccessDescriptor | undefined): number {
  if (s === undefined) return 1;
  const w = new Writer(32);
  writeOptionalAccessSelection(w, s);
  return w.pos;
}

/**
 * The SET APDUs for one attribute: a set-request-normal when it fits in `maxPduSize`, otherwise a
 * set-request-with-first-datablock and set-request-with-datablock APDUs, blocks numbered from 1. `value`
 * is the Data, or its encoding.
 */
export function setRequestBlocks(x: {
  invokeIdAndPriority: InvokeIdAndPriority;
  attribute: CosemAttributeDescriptor;
  accessSelection?: SelectiveAccessDescriptor;
  value: Data | Uint8Array;
  maxPduSize: number;
  extraOverhead?: number;
}): SetRequest[] {
  const raw = encoded(x.value);
  const extra = x.extraOverhead ?? 0;
  const selSize = accessSelectionSize(x.accessSelection);
  // Normal: tag, choice, invoke-id, descriptor (9), access-selection, the Data.
  if (3 + 9 + selSize + raw.length + extra <= x.maxPduSize) {
    const value = x.value instanceof Uint8Array ? decodeData(x.value) : x.value;
    const normal: SetRequest = {
      type: 'set-request-normal',
      invokeIdAndPriority: x.invokeIdAndPriority,
      attribute: x.attribute,
      value,
    };
    if (x.accessSelection !== undefined) normal.accessSelection = x.accessSelection;
    return [normal];
  }
  const pieces = splitIntoBlocks(
    raw,
    x.maxPduSize,
    SA_DATABLOCK_HEADER_SIZE + extra,
    FIRST_DATABLOCK_HEADER_SIZE + selSize + extra,
  );
  return pieces.map((rawData, i): SetRequest => {
    const datablock = { lastBlock: i === pieces.length - 1, blockNumber: i + 1, rawData };
    if (i > 0)
      return { type: 'set-request-with-datablock', invokeIdAndPriority: x.invokeIdAndPriority, datablock };
    const first: SetRequest = {
      type: 'set-request-with-first-datablock',
      invokeIdAndPriority: x.invokeIdAndPriority,
      attribute: x.attribute,
      datablock,
    };
    if (x.accessSelection !== undefined) first.accessSelection = x.accessSelection;
    return first;
  });
}

/**
 * The ACTION request APDUs for one method: an action-request-normal when it fits, otherwise an
 * action-request-with-first-pblock and action-request-with-pblock APDUs carrying the encoded parameters.
 */
export function actionRequestBlocks(x: {
  invokeIdAndPriority: InvokeIdAndPriority;
  method: CosemMethodDescriptor;
  parameters?: Data | Uint8Array;
  maxPduSize: number;
  extraOverhead?: number;
}): ActionRequest[] {
  const extra = x.extraOverhead ?? 0;
  const raw = x.parameters === undefined ? undefined : encoded(x.parameters);
  // Normal: tag, choice, invoke-id, descriptor (9), usage flag, the Data.
  if (raw === undefined || 3 + 9 + 1 + raw.length + extra <= x.maxPduSize) {
    const normal: ActionRequest = {
      type: 'action-request-normal',
      invokeIdAndPriority: x.invokeIdAndPriority,
      method: x.method,
    };
    if (x.parameters !== undefined)
      normal.parameters = x.parameters instanceof Uint8Array ? decodeData(x.parameters) : x.parameters;
    return [normal];
  }
  const pieces = splitIntoBlocks(
    raw,
    x.maxPduSize,
    SA_DATABLOCK_HEADER_SIZE + extra,
    FIRST_DATABLOCK_HEADER_SIZE + extra,
  );
  return pieces.map((rawData, i): ActionRequest => {
    const pblock = { lastBlock: i === pieces.length - 1, blockNumber: i + 1, rawData };
    return i === 0
      ? {
          type: 'action-request-with-first-pblock',
          invokeIdAndPriority: x.invokeIdAndPriority,
          method: x.method,
          pblock,
        }
      : { type: 'action-request-with-pblock', invokeIdAndPriority: x.invokeIdAndPriority, pblock };
  });
}

/**
 * The GET responses of one attribute (the server side, and test data for clients): a get-response-normal
 * when it fits, otherwise get-response-with-datablock APDUs numbered from 1. With `forceBlocks`, blocks
 * even when the normal response would fit.
 */
export function getResponseBlocks(x: {
  invokeIdAndPriority: InvokeIdAndPriority;
  data: Data | Uint8Array;
  maxPduSize: number;
  extraOverhead?: number;
  forceBlocks?: boolean;
}): GetResponse[] {
  const raw = encoded(x.data);
  const extra = x.extraOverhead ?? 0;
  if (!x.forceBlocks && 4 + raw.length + extra <= x.maxPduSize) {
    const data = x.data instanceof Uint8Array ? decodeData(x.data) : x.data;
    return [{ type: 'get-response-normal', invokeIdAndPriority: x.invokeIdAndPriority, result: { data } }];
  }
  const pieces = splitIntoBlocks(raw, x.maxPduSize, GET_DATABLOCK_HEADER_SIZE + extra);
  return pieces.map((rawData, i) => ({
    type: 'get-response-with-datablock',
    invokeIdAndPriority: x.invokeIdAndPriority,
    lastBlock: i === pieces.length - 1,
    blockNumber: i + 1,
    result: { rawData },
  }));
}

/**
 * General-block-transfer APDUs carrying `apdu` (the encoding of a whole xDLMS APDU), numbered from
 * `firstBlockNumber` (default 1). With `streaming`, the streaming bit is set on every block except the last
 * of each window of `window` blocks, so the receiver acknowledges once per window; without it, every block
 * waits for its acknowledgement.
 */
export function gbtBlocks(
  apdu: Uint8Array,
  options: {
    maxPduSize: number;
    window?: number;
    streaming?: boolean;
    firstBlockNumber?: number;
    blockNumberAck?: number;
    extraOverhead?: number;
  },
): GeneralBlockTransfer[] {
  const window = checkInt(options.window ?? 1, 1, 63, 'window');
  const first = checkInt(options.firstBlockNumber ?? 1, 0, 0xffff, 'firstBlockNumber');
  const ack = checkInt(options.blockNumberAck ?? 0, 0, 0xffff, 'blockNumberAck');
  const pieces = splitIntoBlocks(apdu, options.maxPduSize, GBT_HEADER_SIZE + (options.extraOverhead ?? 0));
  if (first + pieces.length - 1 > 0xffff) {
    throw new DlmsError('LIMIT_EXCEEDED', `${pieces.length} blocks do not fit the 16-bit GBT block numbers`);
  }
  return pieces.map((blockData, i) => {
    const last = i === pieces.length - 1;
    return {
      type: 'general-block-transfer',
      lastBlock: last,
      streaming: options.streaming === true && !last && (i + 1) % window !== 0,
      window,
      blockNumber: first + i,
      blockNumberAck: ack,
      blockData,
    };
  });
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Options of the assemblers. */
export interface AssemblerOptions {
  /** Cap on the reassembled octets (`LIMIT_EXCEEDED` beyond); default {@link DEFAULT_MAX_REASSEMBLED_SIZE}. */
  maxSize?: number;
  /** Limits for decoding the reassembled Data. */
  dataLimits?: Partial<DataLimits>;
}

/** What to do after feeding a GET response to a {@link GetBlockAssembler}. */
export type GetBlockStep =
  | { done: false /** Send this to ask for the next block. */; next: GetRequestNext }
  | {
      done: true /** The whole encoded Data. */;
      raw: Uint8Array;
      data: Data /** Blocks received. */;
      blocks: number;
    };

/**
 * Reassembles one long GET (get-response-with-datablock, Green Book "GET service with block transfer"):
 *
 * ```ts
 * const asm = new GetBlockAssembler();
 * let step = asm.push(response);                    // a get-response-normal or -with-datablock
 * while (!step.done) step = asm.push(await send(step.next));
 * step.data;                                        // the attribute's value
 * ```
 *
 * Block 1 must come first and each next block must be the previous + 1, all with the first block's
 * invoke-id; a duplicate or out-of-order block, a different invoke-id, or a push after the end is a
 * `PROTOCOL_ERROR`; a block carrying a data-access-result (the server aborting) is a `SERVICE_ERROR`
 * naming it; more than `maxSize` octets is `LIMIT_EXCEEDED`; raw data that does not hold exactly one Data
 * is `MALFORMED`. After an error the assembler stays failed.
 */
export class GetBlockAssembler {
  readonly #maxSize: number;
  readonly #limits: Partial<DataLimits> | undefined;
  readonly #chunks: Uint8Array[] = [];
  #total = 0;
  #expected = 1;
  #invokeId: number | undefined;
  #state: 'receiving' | 'done' | 'failed' = 'receiving';

  constructor(options: AssemblerOptions = {}) {
    this.#maxSize = checkInt(
      options.maxSize ?? DEFAULT_MAX_REASSEMBLED_SIZE,
      0,
      Number.MAX_SAFE_INTEGER,
      'maxSize',
    );
    this.#limits = options.dataLimits;
  }

  /** Blocks received so far. */
  get blocks(): number {
    return this.#expected - 1;
  }

  push(apdu: GetResponse): GetBlockStep {
    try {
      return this.#push(apdu);
    } catch (e) {
      this.#state = 'failed';
      throw e;
    }
  }

  #push(apdu: GetResponse): GetBlockStep {
    if (this.#state !== 'receiving') {
      throw new DlmsError(
        'PROTOCOL_ERROR',
        `GET block transfer already ${this.#state}: no more responses expected`,
      );
    }
    const iid = invokeIdAndPriorityToByte(apdu.invokeIdAndPriority);
    if (apdu.type === 'get-response-normal' && this.#expected === 1) {
      this.#state = 'done';
      if ('dataAccessResult' in apdu.result) {
        throw new DlmsError('SERVICE_ERROR', `GET refused: ${String(apdu.result.dataAccessResult)}`);
      }
      return { done: true, raw: encodeData(apdu.result.data), data: apdu.result.data, blocks: 0 };
    }
    if (apdu.type !== 'get-response-with-datablock') {
      throw new DlmsError('PROTOCOL_ERROR', `expected get-response-with-datablock, got ${apdu.type}`);
    }
    if (this.#invokeId === undefined) this.#invokeId = iid & 0x0f;
    else if ((iid & 0x0f) !== this.#invokeId) {
      throw new DlmsError(
        'PROTOCOL_ERROR',
        `block ${apdu.blockNumber} has invoke-id ${iid & 0x0f}, expected ${this.#invokeId}`,
      );
    }
    if (apdu.blockNumber !== this.#expected) {
      const what = apdu.blockNumber < this.#expected ? 'duplicate' : 'out-of-order';
      throw new DlmsError(
        'PROTOCOL_ERROR',
        `${what} block ${apdu.blockNumber}: expected block ${this.#expected}`,
      );
    }
    const res = apdu.result;
    if ('dataAccessResult' in res) {
      throw new DlmsError(
        'SERVICE_ERROR',
        `GET aborted at block ${apdu.blockNumber}: ${String(res.dataAccessResult)}`,
      );
    }
    if (this.#total + res.rawData.length > this.#maxSize) {
      throw new DlmsError('LIMIT_EXCEEDED', `reassembled data would exceed ${this.#maxSize} octets`);
    }
    this.#chunks.push(res.rawData);
    this.#total += res.rawData.length;
    this.#expected++;
    if (!apdu.lastBlock) {
      return {
        done: false,
        next: {
          type: 'get-request-next',
          invokeIdAndPriority: apdu.invokeIdAndPriority,
          blockNumber: apdu.blockNumber,
        },
      };
    }
    this.#state = 'done';
    const raw = concat(this.#chunks, this.#total);
    this.#chunks.length = 0;
    let data: Data;
    try {
      data = decodeData(raw, this.#limits);
    } catch (e) {
      if (isDlmsError(e, 'INCOMPLETE')) {
        throw new DlmsError('MALFORMED', 'the last block ended inside the Data', {
          offset: e.offset,
          path: e.path,
          cause: e,
        });
      }
      throw e;
    }
    return { done: true, raw, data, blocks: this.#expected - 1 };
  }
}

/** Options of a {@link GbtAssembler}. */
export interface GbtAssemblerOptions {
  /** The window this side advertises in its acknowledgements, 1..63 (default 1). */
  window?: number;
  /** Cap on the reassembled octets (default {@link DEFAULT_MAX_REASSEMBLED_SIZE}). */
  maxSize?: number;
  /**
   * A block that is not the next one: `'error'` (default) throws `PROTOCOL_ERROR`, right for reliable
   * links (HDLC, TCP) where it can only be a peer's bug; `'recover'` drops it and, at the end of the
   * window, acknowledges the last block received in order so the peer sends the rest again (the GBT
   * recovery procedure for lossy links).
   */
  onGap?: 'error' | 'recover';
  /** Block number of this side's first acknowledgement (default 1). */
  firstBlockNumber?: number;
}

/** What to do after feeding a block to a {@link GbtAssembler}. */
export interface GbtStep {
  /** Send this acknowledgement (end of a window, or a request to resend after a gap). */
  ack?: GeneralBlockTransfer;
  /** The whole carried APDU, once its last block is in. */
  complete?: Uint8Array;
  /** The block was dropped (duplicate or beyond a gap), in `'recover'` mode. */
  dropped?: boolean;
}

/**
 * Reassembles an APDU carried by general-block-transfer (Green Book, GBT procedures): blocks must come
 * numbered 1, 2, 3, …; the receiver acknowledges when a block arrives without the streaming bit (the end of
 * the sender's window), or when `window` blocks have arrived since its last acknowledgement (for senders
 * that keep the streaming bit set across windows), with block-number-ack = the last block received in
 * order, its own block number, its window and no data. When the last block is in, `complete` holds the carried APDU (its reply, sent by
 * the caller, acknowledges the transfer); pushing after that is a `PROTOCOL_ERROR`.
 */
export class GbtAssembler {
  readonly #window: number;
  readonly #maxSize: number;
  readonly #recover: boolean;
  readonly #chunks: Uint8Array[] = [];
  #total = 0;
  #lastReceived = 0;
  #ownBlockNumber: number;
  #sinceAck = 0;
  #state: 'receiving' | 'done' | 'failed' = 'receiving';

  constructor(options: GbtAssemblerOptions = {}) {
    this.#window = checkInt(options.window ?? 1, 1, 63, 'window');
    this.#maxSize = checkInt(
      options.maxSize ?? DEFAULT_MAX_REASSEMBLED_SIZE,
      0,
      Number.MAX_SAFE_INTEGER,
      'maxSize',
    );
    const onGap = options.onGap ?? 'error';
    if (onGap !== 'error' && onGap !== 'recover') invalid(`onGap must be 'error' or 'recover'`, 'onGap');
    this.#recover = onGap === 'recover';
    this.#ownBlockNumber = checkInt(options.firstBlockNumber ?? 1, 0, 0xffff, 'firstBlockNumber');
  }

  /** The last block received in order (what the next acknowledgement says). */
  get lastReceived(): number {
    return this.#lastReceived;
  }

  push(block: GeneralBlockTransfer): GbtStep {
    try {
      return this.#push(block);
    } catch (e) {
      this.#state = 'failed';
      throw e;
    }
  }

  #ack(): GeneralBlockTransfer {
    const ack: GeneralBlockTransfer = {
      type: 'general-block-transfer',
      lastBlock: false,
      streaming: false,
      window: this.#window,
      blockNumber: this.#ownBlockNumber,
      blockNumberAck: this.#lastReceived,
      blockData: new Uint8Array(0),
    };
    this.#ownBlockNumber = (this.#ownBlockNumber + 1) & 0xffff;
    this.#sinceAck = 0;
    return ack;
  }

  #push(block: GeneralBlockTransfer): GbtStep {
    if (this.#state !== 'receiving') {
      throw new DlmsError(
        'PROTOCOL_ERROR',
        `general block transfer already ${this.#state}: no more blocks expected`,
      );
    }
    if (block?.type !== 'general-block-transfer') invalid('expected a general-block-transfer APDU', 'type');
    const expected = this.#lastReceived + 1;
    if (block.blockNumber !== expected) {
      const what = block.blockNumber < expected ? 'duplicate' : 'out-of-order';
      if (!this.#recover) {
        throw new DlmsError(
          'PROTOCOL_ERROR',
          `${what} GBT block ${block.blockNumber}: expected block ${expected}`,
        );
      }
      const endOfWindow = !block.streaming || block.lastBlock;
      return endOfWindow ? { ack: this.#ack(), dropped: true } : { dropped: true };
    }
    if (this.#total + block.blockData.length > this.#maxSize) {
      throw new DlmsError('LIMIT_EXCEEDED', `reassembled APDU would exceed ${this.#maxSize} octets`);
    }
    if (expected === 0xffff && !block.lastBlock) {
      throw new DlmsError('LIMIT_EXCEEDED', 'GBT block numbers (Unsigned16) exhausted');
    }
    this.#chunks.push(block.blockData);
    this.#total += block.blockData.length;
    this.#lastReceived = block.blockNumber;
    if (block.lastBlock) {
      this.#state = 'done';
      const complete = concat(this.#chunks, this.#total);
      this.#chunks.length = 0;
      return { complete };
    }
    this.#sinceAck++;
    return block.streaming && this.#sinceAck < this.#window ? {} : { ack: this.#ack() };
  }
}
