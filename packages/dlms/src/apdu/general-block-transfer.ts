/**
 * The General-Block-Transfer APDU (IEC 62056-5-3 / Green Book, xDLMS ASN.1): carries any xDLMS APDU, whole
 * or in blocks, in both directions, with windows and acknowledgements (see {@link GbtAssembler}).
 *
 * ```asn1
 * general-block-transfer [224] IMPLICIT General-Block-Transfer,
 *
 * General-Block-Transfer ::= SEQUENCE {
 *   block-control     Block-Control,
 *   block-number      Unsigned16,
 *   block-number-ack  Unsigned16,
 *   block-data        OCTET STRING
 * }
 * -- Use of Block-Control
 * --   window      bits 0-5  window advertise
 * --   streaming   bit  6    0 = No Streaming active, 1 = Streaming active
 * --   last-block  bit  7    0 = Not Last Block, 1 = Last Block
 * Block-Control ::= Unsigned8
 * ```
 *
 * Example: `E0 C1 0001 0000 0D C0010000080000010000FF0200` carries a whole get-request in one block (last
 * block, streaming bit set, window 1, block 1, nothing acknowledged yet).
 *
 * @module
 */
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { checkBoolean, checkBytes, checkInt, readOctetString, writeOctetString } from './common.ts';

export const GENERAL_BLOCK_TRANSFER_TAG = 0xe0;

export interface GeneralBlockTransfer {
  type: 'general-block-transfer';
  /** block-control bit 7. */
  lastBlock: boolean;
  /** block-control bit 6. */
  streaming: boolean;
  /** block-control bits 0-5: the window the sender advertises (0..63). */
  window: number;
  /** Unsigned16. */
  blockNumber: number;
  /** Unsigned16: the last block received from the peer. */
  blockNumberAck: number;
  blockData: Uint8Array;
}

export function readGeneralBlockTransfer(r: Reader): GeneralBlockTransfer {
  const bc = withPath('blockControl', () => r.u8('block-control'));
  const blockNumber = withPath('blockNumber', () => r.u16('block-number'));
  const blockNumberAck = withPath('blockNumberAck', () => r.u16('block-number-ack'));
  const blockData = withPath('blockData', () => readOctetString(r, 'block-data'));
  return {
    type: 'general-block-transfer',
    lastBlock: (bc & 0x80) !== 0,
    streaming: (bc & 0x40) !== 0,
    window: bc & 0x3f,
    blockNumber,
    blockNumberAck,
    blockData,
  };
}

export function writeGeneralBlockTransfer(w: Writer, x: GeneralBlockTransfer): void {
  const bc =
    (checkBoolean(x.lastBlock, 'lastBlock') ? 0x80 : 0) |
    (checkBoolean(x.streaming, 'streaming') ? 0x40 : 0) |
    checkInt(x.window, 0, 63, 'window');
  w.u8(bc);
  w.u16(checkInt(x.blockNumber, 0, 0xffff, 'blockNumber'));
  w.u16(checkInt(x.blockNumberAck, 0, 0xffff, 'blockNumberAck'));
  writeOctetString(w, checkBytes(x.blockData, 'blockData'));
}
