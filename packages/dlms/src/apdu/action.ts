/**
 * The ACTION service APDUs (IEC 62056-5-3 / Green Book, xDLMS ASN.1, LN referencing):
 *
 * ```asn1
 * action-request  [195] IMPLICIT Action-Request,
 * action-response [199] IMPLICIT Action-Response,
 *
 * Action-Request ::= CHOICE {
 *   action-request-normal                     [1] IMPLICIT Action-Request-Normal,
 *   action-request-next-pblock                [2] IMPLICIT Action-Request-Next-Pblock,
 *   action-request-with-list                  [3] IMPLICIT Action-Request-With-List,
 *   action-request-with-first-pblock          [4] IMPLICIT Action-Request-With-First-Pblock,
 *   action-request-with-list-and-first-pblock [5] IMPLICIT Action-Request-With-List-And-First-Pblock,
 *   action-request-with-pblock                [6] IMPLICIT Action-Request-With-Pblock
 * }
 * Action-Request-Normal ::= SEQUENCE {
 *   invoke-id-and-priority        Invoke-Id-And-Priority,
 *   cosem-method-descriptor       Cosem-Method-Descriptor,
 *   method-invocation-parameters  Data OPTIONAL
 * }
 * Action-Request-Next-Pblock ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   block-number            Unsigned32
 * }
 * Action-Request-With-List ::= SEQUENCE {
 *   invoke-id-and-priority        Invoke-Id-And-Priority,
 *   cosem-method-descriptor-list  SEQUENCE OF Cosem-Method-Descriptor,
 *   method-invocation-parameters  SEQUENCE OF Data
 * }
 * Action-Request-With-First-Pblock ::= SEQUENCE {
 *   invoke-id-and-priority   Invoke-Id-And-Priority,
 *   cosem-method-descriptor  Cosem-Method-Descriptor,
 *   pblock                   DataBlock-SA
 * }
 * Action-Request-With-List-And-First-Pblock ::= SEQUENCE {
 *   invoke-id-and-priority        Invoke-Id-And-Priority,
 *   cosem-method-descriptor-list  SEQUENCE OF Cosem-Method-Descriptor,
 *   pblock                        DataBlock-SA
 * }
 * Action-Request-With-Pblock ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   pblock                  DataBlock-SA
 * }
 *
 * Action-Response ::= CHOICE {
 *   action-response-normal       [1] IMPLICIT Action-Response-Normal,
 *   action-response-with-pblock  [2] IMPLICIT Action-Response-With-Pblock,
 *   action-response-with-list    [3] IMPLICIT Action-Response-With-List,
 *   action-response-next-pblock  [4] IMPLICIT Action-Response-Next-Pblock
 * }
 * Action-Response-Normal ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   single-response         Action-Response-With-Optional-Data
 * }
 * Action-Response-With-Pblock ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   pblock                  DataBlock-SA
 * }
 * Action-Response-With-List ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   list-of-responses       SEQUENCE OF Action-Response-With-Optional-Data
 * }
 * Action-Response-Next-Pblock ::= SEQUENCE {
 *   invoke-id-and-priority  Invoke-Id-And-Priority,
 *   block-number            Unsigned32
 * }
 * Action-Response-With-Optional-Data ::= SEQUENCE {
 *   result             Action-Result,
 *   return-parameters  Get-Data-Result OPTIONAL
 * }
 * ```
 *
 * Example: HLS pass 3, `reply_to_HLS_authentication` (Association LN, class 15, instance 0.0.40.0.0.255,
 * method 1) with the client's f(StoC) as an octet-string: `C3 01 C1 000F 0000280000FF 01 01 09 11 <17 octets>`.
 *
 * @module
 */
import { writeData } from '../axdr/codec.ts';
import type { Data } from '../axdr/types.ts';
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { checkInt, hex2, invalid, readChoice, readCount, readUsage, writeSequenceOf } from './common.ts';
import { type DataBlockSA, readDataBlockSA, writeDataBlockSA } from './data-block.ts';
import {
  type CosemMethodDescriptor,
  DESCRIPTOR_SIZE,
  readCosemMethodDescriptor,
  writeCosemMethodDescriptor,
} from './descriptors.ts';
import { type GetDataResult, readGetDataResult, writeGetDataResult } from './get.ts';
import { type InvokeIdAndPriority, readInvokeIdAndPriority, writeInvokeIdAndPriority } from './invoke-id.ts';
import { type ActionResult, readActionResult, writeActionResult } from './results.ts';

export const ACTION_REQUEST_TAG = 0xc3;
export const ACTION_RESPONSE_TAG = 0xc7;

export interface ActionRequestNormal {
  type: 'action-request-normal';
  invokeIdAndPriority: InvokeIdAndPriority;
  method: CosemMethodDescriptor;
  /** method-invocation-parameters, OPTIONAL. */
  parameters?: Data;
}

export interface ActionRequestNextPblock {
  type: 'action-request-next-pblock';
  invokeIdAndPriority: InvokeIdAndPriority;
  blockNumber: number;
}

export interface ActionRequestWithList {
  type: 'action-request-with-list';
  invokeIdAndPriority: InvokeIdAndPriority;
  methods: CosemMethodDescriptor[];
  parameters: Data[];
}

export interface ActionRequestWithFirstPblock {
  type: 'action-request-with-first-pblock';
  invokeIdAndPriority: InvokeIdAndPriority;
  method: CosemMethodDescriptor;
  pblock: DataBlockSA;
}

export interface ActionRequestWithListAndFirstPblock {
  type: 'action-request-with-list-and-first-pblock';
  invokeIdAndPriority: InvokeIdAndPriority;
  methods: CosemMethodDescriptor[];
  pblock: DataBlockSA;
}

export interface ActionRequestWithPblock {
  type: 'action-request-with-pblock';
  invokeIdAndPriority: InvokeIdAndPriority;
  pblock: DataBlockSA;
}

export type ActionRequest =
  | ActionRequestNormal
  | ActionRequestNextPblock
  | ActionRequestWithList
  | ActionRequestWithFirstPblock
  | ActionRequestWithListAndFirstPblock
  | ActionRequestWithPblock;

/** Action-Response-With-Optional-Data. */
export interface ActionResponseWithOptionalData {
  result: ActionResult;
  returnParameters?: GetDataResult;
}

export interface ActionResponseNormal {
  type: 'action-response-normal';
  invokeIdAndPriority: InvokeIdAndPriority;
  response: ActionResponseWithOptionalData;
}

export interface ActionResponseWithPblock {
  type: 'action-response-with-pblock';
  invokeIdAndPriority: InvokeIdAndPriority;
  pblock: DataBlockSA;
}

export interface ActionResponseWithList {
  type: 'action-response-with-list';
  invokeIdAndPriority: InvokeIdAndPriority;
  responses: ActionResponseWithOptionalData[];
}

export interface ActionResponseNextPblock {
  type: 'action-response-next-pblock';
  invokeIdAndPriority: InvokeIdAndPriority;
  blockNumber: number;
}

export type ActionResponse =
  | ActionResponseNormal
  | ActionResponseWithPblock
  | ActionResponseWithList
  | ActionResponseNextPblock;

type ReadData = (r: Reader) => Data;

function readMethodList(r: Reader): CosemMethodDescriptor[] {
  return withPath('methods', () => {
    const n = readCount(r, 'cosem-method-descriptor-list', DESCRIPTOR_SIZE);
    const list: CosemMethodDescriptor[] = [];
    for (let i = 0; i < n; i++) list.push(withPath(i, () => readCosemMethodDescriptor(r)));
    return list;
  });
}

function writeMethodList(w: Writer, methods: unknown): void {
  writeSequenceOf(w, methods, 'methods', writeCosemMethodDescriptor);
}

function readResponseWithOptionalData(r: Reader, rd: ReadData): ActionResponseWithOptionalData {
  const result = withPath('result', () => readActionResult(r));
  const returnParameters = withPath('returnParameters', () =>
    readUsage(r, 'return-parameters') ? readGetDataResult(r, rd) : undefined,
  );
  return returnParameters === undefined ? { result } : { result, returnParameters };
}

function writeResponseWithOptionalData(w: Writer, x: ActionResponseWithOptionalData): void {
  if (typeof x !== 'object' || x === null) invalid('Action-Response-With-Optional-Data must be an object');
  writeActionResult(w, x.result);
  if (x.returnParameters === undefined) w.u8(0);
  else {
    w.u8(1);
    withPath('returnParameters', () => writeGetDataResult(w, x.returnParameters!));
  }
}

export function readActionRequest(r: Reader, rd: ReadData): ActionRequest {
  const { tag, at } = readChoice(r, 'Action-Request choice');
  const invokeIdAndPriority = withPath('invokeIdAndPriority', () => readInvokeIdAndPriority(r));
  switch (tag) {
    case 1: {
      const method = withPath('method', () => readCosemMethodDescriptor(r));
      const parameters = withPath('parameters', () =>
        readUsage(r, 'method-invocation-parameters') ? rd(r) : undefined,
      );
      const out: ActionRequestNormal = { type: 'action-request-normal', invokeIdAndPriority, method };
      if (parameters !== undefined) out.parameters = parameters;
      return out;
    }
    case 2:
      return {
        type: 'action-request-next-pblock',
        invokeIdAndPriority,
        blockNumber: withPath('blockNumber', () => r.u32('block-number')),
      };
    case 3: {
      const methods = readMethodList(r);
      const parameters = withPath('parameters', () => {
        const n = readCount(r, 'method-invocation-parameters', 1);
        const list: Data[] = [];
        for (let i = 0; i < n; i++) list.push(withPath(i, () => rd(r)));
        return list;
      });
      return { type: 'action-request-with-list', invokeIdAndPriority, methods, parameters };
    }
    case 4: {
      const method = withPath('method', () => readCosemMethodDescriptor(r));
      const pblock = withPath('pblock', () => readDataBlockSA(r));
      return { type: 'action-request-with-first-pblock', invokeIdAndPriority, method, pblock };
    }
    case 5: {
      const methods = readMethodList(r);
      const pblock = withPath('pblock', () => readDataBlockSA(r));
      return { type: 'action-request-with-list-and-first-pblock', invokeIdAndPriority, methods, pblock };
    }
    case 6:
      return {
        type: 'action-request-with-pblock',
        invokeIdAndPriority,
        pblock: withPath('pblock', () => readDataBlockSA(r)),
      };
    default:
      return r.fail(`unknown Action-Request choice ${hex2(tag)}`, at);
  }
}

export function writeActionRequest(w: Writer, x: ActionRequest): void {
  switch (x.type) {
    case 'action-request-normal':
      w.u8(1);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('method', () => writeCosemMethodDescriptor(w, x.method));
      if (x.parameters === undefined) w.u8(0);
      else {
        w.u8(1);
        withPath('parameters', () => writeData(w, x.parameters!));
      }
      return;
    case 'action-request-next-pblock':
      w.u8(2);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      w.u32(checkInt(x.blockNumber, 0, 0xffffffff, 'blockNumber'));
      return;
    case 'action-request-with-list': {
      w.u8(3);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeMethodList(w, x.methods);
      writeSequenceOf(w, x.parameters, 'parameters', writeData);
      return;
    }
    case 'action-request-with-first-pblock':
      w.u8(4);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('method', () => writeCosemMethodDescriptor(w, x.method));
      withPath('pblock', () => writeDataBlockSA(w, x.pblock));
      return;
    case 'action-request-with-list-and-first-pblock':
      w.u8(5);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeMethodList(w, x.methods);
      withPath('pblock', () => writeDataBlockSA(w, x.pblock));
      return;
    case 'action-request-with-pblock':
      w.u8(6);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('pblock', () => writeDataBlockSA(w, x.pblock));
      return;
  }
}

export function readActionResponse(r: Reader, rd: ReadData): ActionResponse {
  const { tag, at } = readChoice(r, 'Action-Response choice');
  const invokeIdAndPriority = withPath('invokeIdAndPriority', () => readInvokeIdAndPriority(r));
  switch (tag) {
    case 1:
      return {
        type: 'action-response-normal',
        invokeIdAndPriority,
        response: withPath('response', () => readResponseWithOptionalData(r, rd)),
      };
    case 2:
      return {
        type: 'action-response-with-pblock',
        invokeIdAndPriority,
        pblock: withPath('pblock', () => readDataBlockSA(r)),
      };
    case 3: {
      const responses = withPath('responses', () => {
        const n = readCount(r, 'list-of-responses', 2);
        const list: ActionResponseWithOptionalData[] = [];
        for (let i = 0; i < n; i++) list.push(withPath(i, () => readResponseWithOptionalData(r, rd)));
        return list;
      });
      return { type: 'action-response-with-list', invokeIdAndPriority, responses };
    }
    case 4:
      return {
        type: 'action-response-next-pblock',
        invokeIdAndPriority,
        blockNumber: withPath('blockNumber', () => r.u32('block-number')),
      };
    default:
      return r.fail(`unknown Action-Response choice ${hex2(tag)}`, at);
  }
}

export function writeActionResponse(w: Writer, x: ActionResponse): void {
  switch (x.type) {
    case 'action-response-normal':
      w.u8(1);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('response', () => writeResponseWithOptionalData(w, x.response));
      return;
    case 'action-response-with-pblock':
      w.u8(2);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      withPath('pblock', () => writeDataBlockSA(w, x.pblock));
      return;
    case 'action-response-with-list': {
      w.u8(3);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      writeSequenceOf(w, x.responses, 'responses', writeResponseWithOptionalData);
      return;
    }
    case 'action-response-next-pblock':
      w.u8(4);
      writeInvokeIdAndPriority(w, x.invokeIdAndPriority);
      w.u32(checkInt(x.blockNumber, 0, 0xffffffff, 'blockNumber'));
      return;
  }
}
