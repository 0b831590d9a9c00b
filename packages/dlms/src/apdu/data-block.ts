/**
 * DataBlock-SA, the block of the SET and ACTION block transfers (IEC 62056-5-3 / Green Book, xDLMS ASN.1):
 *
 * ```asn1
 * DataBlock-SA ::= SEQUENCE {   -- SA == DataBlock for the SET-request, ACTION-request and ACTION-response
 *   last-block    BOOLEAN,
 *   block-number  Unsigned32,
 *   raw-data      OCTET STRING
 * }
 * ```
 *
 * @module
 */
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import {
  checkBoolean,
  checkBytes,
  checkInt,
  invalid,
  readBoolean,
  readOctetString,
  writeOctetString,
} from './common.ts';

/** DataBlock-SA. `rawData` is a slice of the encoded Data (or method parameters) being transferred. */
export interface DataBlockSA {
  lastBlock: boolean;
  /** Unsigned32, 1 for the first block. */
  blockNumber: number;
  rawData: Uint8Array;
}

export function readDataBlockSA(r: Reader): DataBlockSA {
  const lastBlock = withPath('lastBlock', () => readBoolean(r, 'last-block'));
  const blockNumber = withPath('blockNumber', () => r.u32('block-number'));
  const rawData = withPath('rawData', () => readOctetString(r, 'raw-data'));
  return { lastBlock, blockNumber, rawData };
}

export function writeDataBlockSA(w: Writer, b: DataBlockSA): void {
  if (typeof b !== 'object' || b === null) invalid('DataBlock-SA must be an object');
  w.u8(checkBoolean(b.lastBlock, 'lastBlock') ? 1 : 0);
  w.u32(checkInt(b.blockNumber, 0, 0xffffffff, 'blockNumber'));
  writeOctetString(w, checkBytes(b.rawData, 'rawData'));
}
