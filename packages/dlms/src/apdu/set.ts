/**
 * The SET service APDUs (IEC 62056-5-3 / Green Book, xDLMS ASN.1, LN referencing):
 *
 * ```asn1
 * set-request  [193] IMPLICIT Set-Request,
 * set-response [197] IMPLICIT Set-Response,
 *
 * Set-Request ::= CHOICE {
 *   set-request-normal                        [1] IMPLICIT Set-Request-Normal,
 *   set-request-with-first-datablock          [2] IMPLICIT Set-Request-With-First-Datablock,
 *   set-request-with-datablock                [3] IMPLICIT Set-Request-With-Datablock,
 *   set-request-with-list                     [4] IMPLICIT Set-Request-With-List,
 *   set-request-with-list-and-first-datablock [5] IMPLICIT Set-Request-With-List-And-First-Datablock
 * }
 * Set-Request-Normal ::= SEQUENCE {
 *   invoke-id-and-priority      Invoke-Id-And-Priority,
 *   cosem-attribute-descriptor  Cosem-Attribute-Descriptor,
 *   access-selection            Selective-Access-Descriptor OPTIONAL,
 *   value                       Data
 * }
 * Set-Request-With-First-Datablock ::= SEQUENCE {
 *   invoke-id-and-priority      Invoke-Id-And-Priority,
 *   cosem-attribute-descriptor  Cosem-Attribute-Descriptor,
 *   access-selection        [0] IMPLICIT Selective-Access-Descriptor OPTIONAL,
 *   datablock                   DataBlock-SA
 * }
 * Set-Request-With-Datablock ::= SEQUENCE {
 *   invoke-id-and-priority      Invoke-Id-And-Priority,
 *   datablock                   DataBlock-SA
 * }
 * Set-Request-With-List ::= SEQUENCE {
 *   invoke-id-and-priority      Invoke-Id-And-Priority,
 *   attribute-descriptor-list   SEQUENCE OF Cosem-Attribute-Descriptor-With-Selection,
 *   value-list                  SEQUENCE OF Data
 * }
 * Set-Request-With-List-And-First-Datablock ::= SEQUENCE {
 *   invoke-id-and-priority      Invoke-Id-And-Priority,
 *   attribute-descriptor-list   SEQUENCE OF Cosem-Attribute-Descriptor-With-Selection,
 *   datablock                   DataBlock-SA
 * }
 *
 * Set-Response ::= CHOICE {
 *   set-response-normal                    [1] IMPLICIT Set-Response-Normal,
 *   set-response-datablock                 [2] IMPLICIT Set-Response-Datablock,
 *   set-response-last-datablock            [3] IMPLICIT Set-Response-Last-Datablock,
 *   set-response-last-datablock-with-list  [4] IMPLICIT Set-Response-Last-Datablock-With-List,
 *   set-response-with-list                 [5] IMPLICIT Set-Response-With-List
 * }
 * Set-Response-Normal ::= SEQUENCE { invoke-id-and-priority Invoke-Id-And-Priority, result Data-Access-Result }
 * Set-Response-Datablock ::= SEQUENCE { invoke-id-and-priority Invoke-Id-And-Priority, block-number Unsigned32 }
 * Set-Response-Last-Datablock ::= SEQUENCE {
 *   invoke-id-and-priority Invoke-Id-And-Priority, result Data-Access-Result, block-number Unsigned32
 * }
 * Set-Response-Last-Datablock-With-List ::= SEQUENCE {
 *   invoke-id-and-priority Invoke-Id-And-Priority, result SEQUENCE OF Data-Access-Result, block-number Unsigned32
 * }
 * Set-Response-With-List ::= SEQUENCE {
 *   invoke-id-and-priority Invoke-Id-And-Priority, result SEQUENCE OF Data-Access-Result
 * }
 * ```
 *
 * The `[0] IMPLICIT` on the first datablock's access-selection changes nothing in A-XDR: like every OPTIONAL
 * component it is a usage flag and the descriptor.
 *
 * @module
 */
import { writeData } from '../axdr/codec.ts';
import type { Data } from '../axdr/types.ts';
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { checkInt, hex2, readChoice, readCount, writeSequenceOf } from './common.ts';
import { type DataBlockSA, readDataBlockSA, writeDataBlockSA } from './data-block.ts';
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

export const SET_REQUEST_TAG = 0xc1;
export const SET_RESPONSE_TAG = 0xc5;

export interface SetRequestNormal {
  type: 'set-request-normal';
  invokeIdAndPriority: InvokeIdAndPriority;
  attribute: CosemAttributeDescriptor;
  accessSelection?: SelectiveAccessDescriptor;
  value: Data;
}

export interface SetRequestWithFirstDatablock {
  type: 'set-request-with-first-datablock';
  invokeIdAndPriority: InvokeIdAndPriority;
  attribute: CosemAttributeDescriptor;
  accessSelection?: SelectiveAccessDescriptor;
  datablock: DataBlockSA;
}

export interface SetRequestWithDatablock {
  type: 'set-request-with-datablock';
  invokeIdAndPriority: InvokeIdAndPriority;
  datablock: DataBlockSA;
}

export interface SetRequestWithList {
  type: 'set-request-with-list';
  invokeIdAndPriority: InvokeIdAndPriority;
  attributes: CosemAttributeDescriptorWithSelection[];
  values: Data[];
}

export interface SetRequestWithListAndFirstDatablock {
  type: 'set-request-with-list-and-first-datablock';
  invokeIdAndPriority: InvokeIdAndPriority;
  attributes: CosemAttributeDescriptorWithSelection[];
  datablock: DataBlockSA;
}

export type SetRequest =
  | SetRequestNormal
  | SetRequestWithFirstDatablock
  | SetRequestWithDatablock
  | SetRequestWithList
  | SetRequestWithListAndFirstDatablock;

export interface SetResponseNormal {
  type: 'set-response-normal';
  invokeIdAndPriority: InvokeIdAndPriority;
  result: DataAccessResult;
}

export interface SetResponseDatablock {
  type: 'set-response-datablock';
  invokeIdAndPriority: InvokeIdAndPriority;
  blockNumber: number;
}

export interface SetResponseLastDatablock {
  type: 'set-response-last-datablock';
  invokeIdAndPriority: InvokeIdAndPriority;
  result: DataAccessResult;
  blockNumber: number;
}

export interface SetResponseLastDatablockWithList {
  type: 'set-response-last-datablock-with-list';
  invokeIdAndPriority: InvokeIdAndPriority;
  results: DataAccessResult[];
  blockNumber: number;
}

export interface SetResponseWithList {
  type: 'set-response-with-list';
  invokeIdAndPriority: InvokeIdAndPriority;
  results: DataAccessResult[];
}

export type SetResponse =
  | SetResponseNormal
  | SetResponseDatablock
  | SetResponseLastDatablock
  | SetResponseLastDatablockWithList
  | SetResponseWithList;

type ReadData = (r: Reader) => Data;

function readAttributeList(r: Reader, rd: ReadData): CosemAttributeDescriptorWithSelection[] {
  return withPath('attributes', () => {
    const n = readCount(r, 'attribute-descriptor-list', 10);
    const list: CosemAttributeDescriptorWithSelection[] = [];
    for (let i = 0; i < n; i++) list.push(withPath(i, () => readAttributeWithSelection(r, rd)));
    return list;
  });
}

function writeAttributeList(w: Writer, attributes: unknown): void {
  writeSequenceOf(w, attributes, 'attributes', writeAttributeWithSelection);
}

function readResultList(r: Reader): DataAccessResult[] {
  return withPath('results', () => {
    const n = readCount(r, 'result list', 1);
    const list: DataAccessResult[] = [];
    for (let i = 0; i < n; i++) list.push(withPath(i, () => readDataAccessResult(r)));
    return list;
  });
}

function writeResultList(w: Writer, results: unknown): void {
  writeSequenceOf<DataAccessResult>(w, results, 'results', (w2, x) => writeDataAccessResult(w2, x, 'result'));
}

export function readSetRequest(r: Reader, rd: ReadData): SetRequest {
  const { tag, at } = readChoice(r, 'Set-Request choice');
  const invokeIdAndPriority = withPath('invokeIdAndPriority', () => readInvokeIdAndPriority(r));
  switch (tag) {
    case 1:
    case 2: {
      const attribute = withPath('attribute', () => readCosemAttributeDescriptor(r));
      const accessSelection = readOptionalAccessSelection(r, rd);
      if (tag === 1) {
        const value = withPath('value', () => rd(r));
        const out = { type: 'set-request-normal', invokeIdAndPriority, attribute } as SetRequestNormal;
        if (accessSelection !== undefined) out.accessSelection = accessSelection;
        out.value = value;
        return out;
      }
      const datablock = withPath('datablock', () => readDataBlockSA(r));
      const out = {
        type: 'set-request-with-first-datablock',
        invokeIdAndPriority,
        attribute,
      } as SetRequestWithFirstDatablock;
      if (accessSelection !== undefined) out.accessSelection = accessSelection;
      out.datablock = datablock;
      return out;
    }
    case 3:
      return {
        type: 'set-request-with-datablock',
        invokeIdAndPriority,
        datablock: withPath('datablock', () => readDataBlockSA(r)),
      };
    case 4: {
      const attributes = readAttributeList(r, rd);
      const values = withPath('values', () => {
        const n = readCount(r, 'value-list', 1);
        const list: Data[] = [];
        for (let i = 0; i < n; i++) list.push(withPath(i, () => rd(r)));
        return list;
      });
      return { type: 'set-request-with-list', invokeIdAndPriority, attributes, values };
    }
    case 5: {
      const attributes = readAttributeList(r, rd);
      const datablock = withPath('datablock', () => readDataBlockSA(r));
      return {
        type: 'set-request-with-list-and-first-datablock',
        invokeIdAndPriority,
        attributes,
        datablock,
      };
    }
    default:
      return r.fail(`unknown Set-Request choice ${hex2(tag)}`, at);
  }
}

export function writeSetRequest(w: Writer, x: SetRequest): void {
  switch (x.type) {
    case 'set-request-normal':
      w.u8(1);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('attribute', () => writeCosemAttributeDescriptor(w, x.attribute));
      writeOptionalAccessSelection(w, x.accessSelection);
      withPath('value', () => writeData(w, x.value));
      return;
    case 'set-request-with-first-datablock':
      w.u8(2);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('attribute', () => writeCosemAttributeDescriptor(w, x.attribute));
      writeOptionalAccessSelection(w, x.accessSelection);
      withPath('datablock', () => writeDataBlockSA(w, x.datablock));
      return;
    case 'set-request-with-datablock':
      w.u8(3);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('datablock', () => writeDataBlockSA(w, x.datablock));
      return;
    case 'set-request-with-list': {
      w.u8(4);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeAttributeList(w, x.attributes);
      writeSequenceOf(w, x.values, 'values', writeData);
      return;
    }
    case 'set-request-with-list-and-first-datablock':
      w.u8(5);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeAttributeList(w, x.attributes);
      withPath('datablock', () => writeDataBlockSA(w, x.datablock));
      return;
  }
}

export function readSetResponse(r: Reader): SetResponse {
  const { tag, at } = readChoice(r, 'Set-Response choice');
  const invokeIdAndPriority = withPath('invokeIdAndPriority', () => readInvokeIdAndPriority(r));
  switch (tag) {
    case 1:
      return {
        type: 'set-response-normal',
        invokeIdAndPriority,
        result: withPath('result', () => readDataAccessResult(r)),
      };
    case 2:
      return {
        type: 'set-response-datablock',
        invokeIdAndPriority,
        blockNumber: withPath('blockNumber', () => r.u32('block-number')),
      };
    case 3: {
      const result = withPath('result', () => readDataAccessResult(r));
      const blockNumber = withPath('blockNumber', () => r.u32('block-number'));
      return { type: 'set-response-last-datablock', invokeIdAndPriority, result, blockNumber };
    }
    case 4: {
      const results = readResultList(r);
      const blockNumber = withPath('blockNumber', () => r.u32('block-number'));
      return { type: 'set-response-last-datablock-with-list', invokeIdAndPriority, results, blockNumber };
    }
    case 5:
      return { type: 'set-response-with-list', invokeIdAndPriority, results: readResultList(r) };
    default:
      return r.fail(`unknown Set-Response choice ${hex2(tag)}`, at);
  }
}

export function writeSetResponse(w: Writer, x: SetResponse): void {
  switch (x.type) {
    case 'set-response-normal':
      w.u8(1);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeDataAccessResult(w, x.result);
      return;
    case 'set-response-datablock':
      w.u8(2);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      w.u32(checkInt(x.blockNumber, 0, 0xffffffff, 'blockNumber'));
      return;
    case 'set-response-last-datablock':
      w.u8(3);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeDataAccessResult(w, x.result);
      w.u32(checkInt(x.blockNumber, 0, 0xffffffff, 'blockNumber'));
      return;
    case 'set-response-last-datablock-with-list':
      w.u8(4);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeResultList(w, x.results);
      w.u32(checkInt(x.blockNumber, 0, 0xffffffff, 'blockNumber'));
      return;
    case 'set-response-with-list':
      w.u8(5);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeResultList(w, x.results);
      return;
  }
}
