/**
 * The GET service APDUs (IEC 62056-5-3 / Green Book, xDLMS ASN.1, LN referencing):
 *
 * ```asn1
 * get-request  [192] IMPLICIT Get-Request,
 * get-response [196] IMPLICIT Get-Response,
 *
 * Get-Request ::= CHOICE {
 *   get-request-normal    [1] IMPLICIT Get-Request-Normal,
 *   get-request-next      [2] IMPLICIT Get-Request-Next,
 *   get-request-with-list [3] IMPLICIT Get-Request-With-List
 * }
 * Get-Request-Normal ::= SEQUENCE {
 *   invoke-id-and-priority      Invoke-Id-And-Priority,
 *   cosem-attribute-descriptor  Cosem-Attribute-Descriptor,
 *   access-selection            Selective-Access-Descriptor OPTIONAL
 * }
 * Get-Request-Next ::= SEQUENCE {
 *   invoke-id-and-priority      Invoke-Id-And-Priority,
 *   block-number                Unsigned32
 * }
 * Get-Request-With-List ::= SEQUENCE {
 *   invoke-id-and-priority      Invoke-Id-And-Priority,
 *   attribute-descriptor-list   SEQUENCE OF Cosem-Attribute-Descriptor-With-Selection
 * }
 *
 * Get-Response ::= CHOICE {
 *   get-response-normal         [1] IMPLICIT Get-Response-Normal,
 *   get-response-with-datablock [2] IMPLICIT Get-Response-With-Datablock,
 *   get-response-with-list      [3] IMPLICIT Get-Response-With-List
 * }
 * Get-Response-Normal ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   result                  Get-Data-Result
 * }
 * Get-Response-With-Datablock ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   result                  DataBlock-G
 * }
 * Get-Response-With-List ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   result                  SEQUENCE OF Get-Data-Result
 * }
 *
 * Get-Data-Result ::= CHOICE {
 *   data                [0] Data,
 *   data-access-result  [1] IMPLICIT Data-Access-Result
 * }
 * DataBlock-G ::= SEQUENCE {
 *   last-block    BOOLEAN,
 *   block-number  Unsigned32,
 *   result CHOICE {
 *     raw-data            [0] IMPLICIT OCTET STRING,
 *     data-access-result  [1] IMPLICIT Data-Access-Result
 *   }
 * }
 * ```
 *
 * Example: `C0 01 C1 0008 0000010000FF 02 00` asks (invoke-id 1, confirmed, high priority) for the clock's
 * time; `C4 01 C1 00 19 <12 octets>` answers it with a date-time; `C4 01 C1 01 04` answers
 * object-undefined. Note that `data [0] Data` keeps the Data's own tag after the choice octet `00`.
 *
 * @module
 */
import { writeData } from '../axdr/codec.ts';
import type { Data } from '../axdr/types.ts';
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import {
  checkBoolean,
  checkBytes,
  checkInt,
  hex2,
  invalid,
  readBoolean,
  readChoice,
  readCount,
  readOctetString,
  writeOctetString,
  writeSequenceOf,
} from './common.ts';
import {
  type CosemAttributeDescriptor,
  type CosemAttributeDescriptorWithSelection,
  readAttributeWithSelection,
  readCosemAttributeDescriptor,
  readOptionalAccessSelection,
  writeAttributeWithSelection,
  writeCosemAttributeDescriptor,
  writeOptionalAccessSelection,
} from './descriptors.ts';
import { type InvokeIdAndPriority, readInvokeIdAndPriority, writeInvokeIdAndPriority } from './invoke-id.ts';
import { type DataAccessResult, readDataAccessResult, writeDataAccessResult } from './results.ts';
import type { SelectiveAccessDescriptor } from './selective-access.ts';

export const GET_REQUEST_TAG = 0xc0;
export const GET_RESPONSE_TAG = 0xc4;

export interface GetRequestNormal {
  type: 'get-request-normal';
  invokeIdAndPriority: InvokeIdAndPriority;
  attribute: CosemAttributeDescriptor;
  accessSelection?: SelectiveAccessDescriptor;
}

export interface GetRequestNext {
  type: 'get-request-next';
  invokeIdAndPriority: InvokeIdAndPriority;
  /** Unsigned32: the number of the last block received. */
  blockNumber: number;
}

export interface GetRequestWithList {
  type: 'get-request-with-list';
  invokeIdAndPriority: InvokeIdAndPriority;
  attributes: CosemAttributeDescriptorWithSelection[];
}

export type GetRequest = GetRequestNormal | GetRequestNext | GetRequestWithList;

/** Get-Data-Result: the value, or why there is none. */
export type GetDataResult = { data: Data } | { dataAccessResult: DataAccessResult };

export interface GetResponseNormal {
  type: 'get-response-normal';
  invokeIdAndPriority: InvokeIdAndPriority;
  result: GetDataResult;
}

/** DataBlock-G's result: a slice of the encoded Data, or the reason the block cannot be given. */
export type DataBlockGResult = { rawData: Uint8Array } | { dataAccessResult: DataAccessResult };

export interface GetResponseWithDatablock {
  type: 'get-response-with-datablock';
  invokeIdAndPriority: InvokeIdAndPriority;
  lastBlock: boolean;
  /** Unsigned32, 1 for the first block. */
  blockNumber: number;
  result: DataBlockGResult;
}

export interface GetResponseWithList {
  type: 'get-response-with-list';
  invokeIdAndPriority: InvokeIdAndPriority;
  results: GetDataResult[];
}

export type GetResponse = GetResponseNormal | GetResponseWithDatablock | GetResponseWithList;

type ReadData = (r: Reader) => Data;

/** Reads a Get-Data-Result. */
export function readGetDataResult(r: Reader, rd: ReadData): GetDataResult {
  const { tag, at } = readChoice(r, 'Get-Data-Result choice');
  if (tag === 0) return { data: withPath('data', () => rd(r)) };
  if (tag === 1) return { dataAccessResult: withPath('dataAccessResult', () => readDataAccessResult(r)) };
  return r.fail(`unknown Get-Data-Result choice ${hex2(tag)}`, at);
}

/** Writes a Get-Data-Result. */
export function writeGetDataResult(w: Writer, x: GetDataResult): void {
  if (typeof x !== 'object' || x === null) invalid('Get-Data-Result must be an object');
  if ('data' in x) {
    w.u8(0);
    withPath('data', () => writeData(w, x.data));
  } else if ('dataAccessResult' in x) {
    w.u8(1);
    writeDataAccessResult(w, x.dataAccessResult, 'dataAccessResult');
  } else invalid('Get-Data-Result needs data or dataAccessResult');
}

export function readGetRequest(r: Reader, rd: ReadData): GetRequest {
  const { tag, at } = readChoice(r, 'Get-Request choice');
  const invokeIdAndPriority = withPath('invokeIdAndPriority', () => readInvokeIdAndPriority(r));
  switch (tag) {
    case 1: {
      const attribute = withPath('attribute', () => readCosemAttributeDescriptor(r));
      const accessSelection = readOptionalAccessSelection(r, rd);
      const out: GetRequestNormal = { type: 'get-request-normal', invokeIdAndPriority, attribute };
      if (accessSelection !== undefined) out.accessSelection = accessSelection;
      return out;
    }
    case 2:
      return {
        type: 'get-request-next',
        invokeIdAndPriority,
        blockNumber: withPath('blockNumber', () => r.u32('block-number')),
      };
    case 3: {
      const attributes = withPath('attributes', () => {
        const n = readCount(r, 'attribute-descriptor-list', 10);
        const list: CosemAttributeDescriptorWithSelection[] = [];
        for (let i = 0; i < n; i++) list.push(withPath(i, () => readAttributeWithSelection(r, rd)));
        return list;
      });
      return { type: 'get-request-with-list', invokeIdAndPriority, attributes };
    }
    default:
      return r.fail(`unknown Get-Request choice ${hex2(tag)}`, at);
  }
}

export function writeGetRequest(w: Writer, x: GetRequest): void {
  switch (x.type) {
    case 'get-request-normal':
      w.u8(1);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('attribute', () => writeCosemAttributeDescriptor(w, x.attribute));
      writeOptionalAccessSelection(w, x.accessSelection);
      return;
    case 'get-request-next':
      w.u8(2);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      w.u32(checkInt(x.blockNumber, 0, 0xffffffff, 'blockNumber'));
      return;
    case 'get-request-with-list': {
      w.u8(3);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeSequenceOf(w, x.attributes, 'attributes', writeAttributeWithSelection);
      return;
    }
  }
}

export function readGetResponse(r: Reader, rd: ReadData): GetResponse {
  const { tag, at } = readChoice(r, 'Get-Response choice');
  const invokeIdAndPriority = withPath('invokeIdAndPriority', () => readInvokeIdAndPriority(r));
  switch (tag) {
    case 1:
      return {
        type: 'get-response-normal',
        invokeIdAndPriority,
        result: withPath('result', () => readGetDataResult(r, rd)),
      };
    case 2: {
      const lastBlock = withPath('lastBlock', () => readBoolean(r, 'last-block'));
      const blockNumber = withPath('blockNumber', () => r.u32('block-number'));
      const result = withPath('result', (): DataBlockGResult => {
        const c = readChoice(r, 'DataBlock-G result choice');
        if (c.tag === 0) return { rawData: withPath('rawData', () => readOctetString(r, 'raw-data')) };
        if (c.tag === 1) return { dataAccessResult: readDataAccessResult(r) };
        return r.fail(`unknown DataBlock-G result choice ${hex2(c.tag)}`, c.at);
      });
      return { type: 'get-response-with-datablock', invokeIdAndPriority, lastBlock, blockNumber, result };
    }
    case 3: {
      const results = withPath('results', () => {
        const n = readCount(r, 'result list', 2);
        const list: GetDataResult[] = [];
        for (let i = 0; i < n; i++) list.push(withPath(i, () => readGetDataResult(r, rd)));
        return list;
      });
      return { type: 'get-response-with-list', invokeIdAndPriority, results };
    }
    default:
      return r.fail(`unknown Get-Response choice ${hex2(tag)}`, at);
  }
}

export function writeGetResponse(w: Writer, x: GetResponse): void {
  switch (x.type) {
    case 'get-response-normal':
      w.u8(1);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('result', () => writeGetDataResult(w, x.result));
      return;
    case 'get-response-with-datablock': {
      w.u8(2);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      w.u8(checkBoolean(x.lastBlock, 'lastBlock') ? 1 : 0);
      w.u32(checkInt(x.blockNumber, 0, 0xffffffff, 'blockNumber'));
      const res = x.result;
      if (typeof res === 'object' && res !== null && 'rawData' in res) {
        w.u8(0);
        writeOctetString(
          w,
          withPath('result', () => checkBytes(res.rawData, 'rawData')),
        );
      } else if (typeof res === 'object' && res !== null && 'dataAccessResult' in res) {
        w.u8(1);
        withPath('result', () => writeDataAccessResult(w, res.dataAccessResult, 'dataAccessResult'));
      } else invalid('DataBlock-G result needs rawData or dataAccessResult', 'result');
      return;
    }
    case 'get-response-with-list': {
      w.u8(3);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeSequenceOf(w, x.results, 'results', writeGetDataResult);
      return;
    }
  }
}
