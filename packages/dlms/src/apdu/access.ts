/**
 * The ACCESS service APDUs (IEC 62056-5-3 / DLMS UA Green Book Ed. 8 and later, xDLMS ASN.1): several GET,
 * SET and ACTION requests in one APDU, with a long invoke-id, usually carried in general-ciphering.
 *
 * ```asn1
 * access-request  [217] IMPLICIT Access-Request,
 * access-response [218] IMPLICIT Access-Response,
 *
 * Access-Request ::= SEQUENCE {
 *   long-invoke-id-and-priority  Long-Invoke-Id-And-Priority,
 *   date-time                    OCTET STRING,
 *   access-request-body          Access-Request-Body
 * }
 * Access-Request-Body ::= SEQUENCE {
 *   access-request-specification  List-Of-Access-Request-Specification,
 *   access-request-list-of-data   List-Of-Data
 * }
 * List-Of-Access-Request-Specification ::= SEQUENCE OF Access-Request-Specification
 * List-Of-Data ::= SEQUENCE OF Data
 *
 * Access-Request-Specification ::= CHOICE {
 *   access-request-get                 [1] Access-Request-Get,
 *   access-request-set                 [2] Access-Request-Set,
 *   access-request-action              [3] Access-Request-Action,
 *   access-request-get-with-selection  [4] Access-Request-Get-With-Selection,
 *   access-request-set-with-selection  [5] Access-Request-Set-With-Selection
 * }
 * Access-Request-Get    ::= SEQUENCE { cosem-attribute-descriptor  Cosem-Attribute-Descriptor }
 * Access-Request-Set    ::= SEQUENCE { cosem-attribute-descriptor  Cosem-Attribute-Descriptor }
 * Access-Request-Action ::= SEQUENCE { cosem-method-descriptor     Cosem-Method-Descriptor }
 * Access-Request-Get-With-Selection ::= SEQUENCE {
 *   cosem-attribute-descriptor  Cosem-Attribute-Descriptor,
 *   access-selection            Selective-Access-Descriptor
 * }
 * Access-Request-Set-With-Selection ::= SEQUENCE {
 *   cosem-attribute-descriptor  Cosem-Attribute-Descriptor,
 *   access-selection            Selective-Access-Descriptor
 * }
 *
 * Access-Response ::= SEQUENCE {
 *   long-invoke-id-and-priority  Long-Invoke-Id-And-Priority,
 *   date-time                    OCTET STRING,
 *   access-response-body         Access-Response-Body
 * }
 * Access-Response-Body ::= SEQUENCE {
 *   access-request-specification   [0] List-Of-Access-Request-Specification OPTIONAL,
 *   access-response-list-of-data   List-Of-Data,
 *   access-response-specification  List-Of-Access-Response-Specification
 * }
 * List-Of-Access-Response-Specification ::= SEQUENCE OF Access-Response-Specification
 *
 * Access-Response-Specification ::= CHOICE {
 *   access-response-get     [1] Access-Response-Get,
 *   access-response-set     [2] Access-Response-Set,
 *   access-response-action  [3] Access-Response-Action
 * }
 * Access-Response-Get    ::= SEQUENCE { result  Data-Access-Result }
 * Access-Response-Set    ::= SEQUENCE { result  Data-Access-Result }
 * Access-Response-Action ::= SEQUENCE { result  Action-Result }
 * ```
 *
 * A-XDR (see `./common.ts`): each CHOICE is its tag octet, each SEQUENCE OF a count then the items, the
 * OPTIONAL echo of the request in the response a usage flag `00`/`01`. The Cosem-Attribute-Descriptor here
 * is the plain 9 octets (class-id, instance-id, attribute-id): the selection is its own CHOICE alternative,
 * not an OPTIONAL flag as in GET/SET. `date-time` is read as in data-notification: empty (`00`) or the
 * 12 octets of a COSEM date-time (`0C …`); any other length is `MALFORMED`.
 *
 * Consistency checked by the decoder (`MALFORMED`, offset of the disagreeing count) and the encoder
 * (`INVALID_ARGUMENT`):
 * - request: one Data per specification in access-request-list-of-data (null-data for a GET and for an
 *   ACTION without parameters);
 * - response: one Data per access-response-specification, and, when the request's specifications are
 *   echoed (the self-descriptive option), as many of them as results.
 *
 * Example (the Green Book's Table 41 general-ciphering example, deciphered; see
 * conformance-vectors/dlms/apdu-access.json): `D9 40000000 00 04 01 0001 0000600100FF 02 01 0008
 * 0000010000FF 02 02 0014 00000D0000FF 07 02 0014 00000D0000FF 08 04 00 00 <Data> <Data>`: long invoke-id 0,
 * confirmed, no date-time, GET of two attributes and SET of two, then four Data (two null-data for the
 * GETs, the two values to set).
 *
 * What could and could not be confirmed: the copy of IEC 62056-5-3 was not at hand. The ASN.1 above
 * (component order, context numbers 1–5 and 1–3, the `[0] … OPTIONAL` echo in the response,
 * Long-Invoke-Id-And-Priority and the OCTET STRING date-time) agrees with two independent public
 * transcriptions of the Green Book ASN.1 found with the project's search tool (a Python xDLMS model's
 * comment block and a JavaScript type table), and every octet of the Table 41 plaintext parses by it with
 * nothing left over. The count rules are the ones the Green Book's service description gives for the
 * lists as we read it; their exact wording was not seen, and no rule pairing each result's kind with the
 * echoed request's kind (GET with access-response-get, …) is enforced.
 *
 * @module
 */
import { writeData } from '../axdr/codec.ts';
import { type CosemDateTime, writeCosemDateTime } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { checkArray, hex2, invalid, readChoice, readUsage, show } from './common.ts';
import { readDateTimeOctetString } from './data-notification.ts';
import {
  type CosemAttributeDescriptor,
  type CosemMethodDescriptor,
  DESCRIPTOR_SIZE,
  readCosemAttributeDescriptor,
  readCosemMethodDescriptor,
  writeCosemAttributeDescriptor,
  writeCosemMethodDescriptor,
} from './descriptors.ts';
import {
  type LongInvokeIdAndPriority,
  readLongInvokeIdAndPriority,
  writeLongInvokeIdAndPriority,
} from './invoke-id.ts';
import {
  type ActionResult,
  type DataAccessResult,
  readActionResult,
  readDataAccessResult,
  writeActionResult,
  writeDataAccessResult,
} from './results.ts';
import {
  readSelectiveAccessDescriptor,
  type SelectiveAccessDescriptor,
  writeSelectiveAccessDescriptor,
} from './selective-access.ts';

export const ACCESS_REQUEST_TAG = 0xd9;
export const ACCESS_RESPONSE_TAG = 0xda;

/** access-request-get [1]: read one attribute. */
export interface AccessRequestGet {
  type: 'access-request-get';
  attribute: CosemAttributeDescriptor;
}

/** access-request-set [2]: write one attribute (the value is the matching item of the list of data). */
export interface AccessRequestSet {
  type: 'access-request-set';
  attribute: CosemAttributeDescriptor;
}

/** access-request-action [3]: invoke one method (the parameters are the matching item of the list of data). */
export interface AccessRequestAction {
  type: 'access-request-action';
  method: CosemMethodDescriptor;
}

/** access-request-get-with-selection [4]: read one attribute with selective access. */
export interface AccessRequestGetWithSelection {
  type: 'access-request-get-with-selection';
  attribute: CosemAttributeDescriptor;
  accessSelection: SelectiveAccessDescriptor;
}

/** access-request-set-with-selection [5]: write one attribute with selective access. */
export interface AccessRequestSetWithSelection {
  type: 'access-request-set-with-selection';
  attribute: CosemAttributeDescriptor;
  accessSelection: SelectiveAccessDescriptor;
}

/** Access-Request-Specification, discriminated by `type` in the standard's words. */
export type AccessRequestSpecification =
  | AccessRequestGet
  | AccessRequestSet
  | AccessRequestAction
  | AccessRequestGetWithSelection
  | AccessRequestSetWithSelection;

/** access-response-get [1] / access-response-set [2]: the Data-Access-Result of one GET or SET. */
export interface AccessResponseGet {
  type: 'access-response-get';
  result: DataAccessResult;
}

export interface AccessResponseSet {
  type: 'access-response-set';
  result: DataAccessResult;
}

/** access-response-action [3]: the Action-Result of one ACTION. */
export interface AccessResponseAction {
  type: 'access-response-action';
  result: ActionResult;
}

/** Access-Response-Specification, discriminated by `type` in the standard's words. */
export type AccessResponseSpecification = AccessResponseGet | AccessResponseSet | AccessResponseAction;

/** access-request [217]. */
export interface AccessRequest {
  type: 'access-request';
  longInvokeIdAndPriority: LongInvokeIdAndPriority;
  /** Absent when the date-time octet string is empty. */
  dateTime?: CosemDateTime;
  /** access-request-body.access-request-specification. */
  accessRequestSpecification: AccessRequestSpecification[];
  /**
   * access-request-body.access-request-list-of-data: one Data per specification, in the same order (the
   * value to set, the method parameters, or null-data for a GET or an ACTION without parameters).
   */
  accessRequestListOfData: Data[];
}

/** access-response [218]. */
export interface AccessResponse {
  type: 'access-response';
  longInvokeIdAndPriority: LongInvokeIdAndPriority;
  /** Absent when the date-time octet string is empty. */
  dateTime?: CosemDateTime;
  /** access-response-body.access-request-specification: the request's specifications, echoed (OPTIONAL). */
  accessRequestSpecification?: AccessRequestSpecification[];
  /** access-response-body.access-response-list-of-data: one Data per result (the value read, the return parameters, or null-data). */
  accessResponseListOfData: Data[];
  /** access-response-body.access-response-specification: one result per request. */
  accessResponseSpecification: AccessResponseSpecification[];
}

type ReadData = (r: Reader) => Data;

/** Smallest encodings: a specification is its tag and a 9-octet descriptor; a Data at least its tag. */
const MIN_REQUEST_SPECIFICATION = 1 + DESCRIPTOR_SIZE;
const MIN_DATA = 1;
const MIN_RESPONSE_SPECIFICATION = 2;

/**
 * Reads a SEQUENCE OF count that must equal `expected` (refused `MALFORMED` at the count's offset,
 * before anything is read or allocated), then checks it against the bytes left.
 */
function readListCount(
  r: Reader,
  what: string,
  minElementSize: number,
  expected?: { n: number; of: string },
): number {
  const at = r.pos;
  const n = r.length(`${what} count`);
  if (expected !== undefined && n !== expected.n) {
    r.fail(`${what} has ${n} element(s), but ${expected.of} has ${expected.n}: they must match`, at);
  }
  r.need(n * minElementSize, `${what} (${n} element(s))`);
  return n;
}

function readList<T>(
  r: Reader,
  what: string,
  minElementSize: number,
  read: (r: Reader) => T,
  expected?: { n: number; of: string },
): T[] {
  const n = readListCount(r, what, minElementSize, expected);
  const list: T[] = [];
  for (let i = 0; i < n; i++) list.push(withPath(i, () => read(r)));
  return list;
}

/** Reads one Access-Request-Specification. */
export function readAccessRequestSpecification(r: Reader, rd: ReadData): AccessRequestSpecification {
  const { tag, at } = readChoice(r, 'Access-Request-Specification choice');
  switch (tag) {
    case 1:
      return { type: 'access-request-get', attribute: readAttribute(r) };
    case 2:
      return { type: 'access-request-set', attribute: readAttribute(r) };
    case 3:
      return {
        type: 'access-request-action',
        method: withPath('method', () => readCosemMethodDescriptor(r)),
      };
    case 4:
    case 5: {
      const attribute = readAttribute(r);
      const accessSelection = withPath('accessSelection', () => readSelectiveAccessDescriptor(r, rd));
      return {
        type: tag === 4 ? 'access-request-get-with-selection' : 'access-request-set-with-selection',
        attribute,
        accessSelection,
      };
    }
    default:
      return r.fail(`unknown Access-Request-Specification choice ${hex2(tag)}`, at);
  }
}

function readAttribute(r: Reader): CosemAttributeDescriptor {
  return withPath('attribute', () => readCosemAttributeDescriptor(r));
}

/** Writes one Access-Request-Specification. */
export function writeAccessRequestSpecification(w: Writer, x: AccessRequestSpecification): void {
  if (typeof x !== 'object' || x === null) invalid('Access-Request-Specification must be an object');
  switch (x.type) {
    case 'access-request-get':
      w.u8(1);
      withPath('attribute', () => writeCosemAttributeDescriptor(w, x.attribute));
      return;
    case 'access-request-set':
      w.u8(2);
      withPath('attribute', () => writeCosemAttributeDescriptor(w, x.attribute));
      return;
    case 'access-request-action':
      w.u8(3);
      withPath('method', () => writeCosemMethodDescriptor(w, x.method));
      return;
    case 'access-request-get-with-selection':
    case 'access-request-set-with-selection':
      w.u8(x.type === 'access-request-get-with-selection' ? 4 : 5);
      withPath('attribute', () => writeCosemAttributeDescriptor(w, x.attribute));
      withPath('accessSelection', () => writeSelectiveAccessDescriptor(w, x.accessSelection));
      return;
    default:
      invalid(`unknown Access-Request-Specification type ${show((x as { type?: unknown }).type)}`, 'type');
  }
}

/** Reads one Access-Response-Specification. */
export function readAccessResponseSpecification(r: Reader): AccessResponseSpecification {
  const { tag, at } = readChoice(r, 'Access-Response-Specification choice');
  switch (tag) {
    case 1:
      return { type: 'access-response-get', result: withPath('result', () => readDataAccessResult(r)) };
    case 2:
      return { type: 'access-response-set', result: withPath('result', () => readDataAccessResult(r)) };
    case 3:
      return { type: 'access-response-action', result: withPath('result', () => readActionResult(r)) };
    default:
      return r.fail(`unknown Access-Response-Specification choice ${hex2(tag)}`, at);
  }
}

/** Writes one Access-Response-Specification. */
export function writeAccessResponseSpecification(w: Writer, x: AccessResponseSpecification): void {
  if (typeof x !== 'object' || x === null) invalid('Access-Response-Specification must be an object');
  switch (x.type) {
    case 'access-response-get':
      w.u8(1);
      writeDataAccessResult(w, x.result);
      return;
    case 'access-response-set':
      w.u8(2);
      writeDataAccessResult(w, x.result);
      return;
    case 'access-response-action':
      w.u8(3);
      writeActionResult(w, x.result);
      return;
    default:
      invalid(`unknown Access-Response-Specification type ${show((x as { type?: unknown }).type)}`, 'type');
  }
}

function readHeader(r: Reader): {
  longInvokeIdAndPriority: LongInvokeIdAndPriority;
  dateTime?: CosemDateTime;
} {
  const longInvokeIdAndPriority = withPath('longInvokeIdAndPriority', () => readLongInvokeIdAndPriority(r));
  const dateTime = withPath('dateTime', () => readDateTimeOctetString(r, 'date-time', true));
  return dateTime === undefined ? { longInvokeIdAndPriority } : { longInvokeIdAndPriority, dateTime };
}

function writeHeader(w: Writer, x: AccessRequest | AccessResponse): void {
  writeLongInvokeIdAndPriority(w, x.longInvokeIdAndPriority);
  if (x.dateTime === undefined) w.u8(0);
  else {
    w.u8(12);
    withPath('dateTime', () => writeCosemDateTime(w, x.dateTime!));
  }
}

/** Reads an Access-Request after its tag. */
export function readAccessRequest(r: Reader, rd: ReadData): AccessRequest {
  const header = readHeader(r);
  const accessRequestSpecification = withPath('accessRequestSpecification', () =>
    readList(r, 'access-request-specification', MIN_REQUEST_SPECIFICATION, (x) =>
      readAccessRequestSpecification(x, rd),
    ),
  );
  const accessRequestListOfData = withPath('accessRequestListOfData', () =>
    readList(r, 'access-request-list-of-data', MIN_DATA, rd, {
      n: accessRequestSpecification.length,
      of: 'access-request-specification',
    }),
  );
  return { type: 'access-request', ...header, accessRequestSpecification, accessRequestListOfData };
}

/** Reads an Access-Response after its tag. */
export function readAccessResponse(r: Reader, rd: ReadData): AccessResponse {
  const header = readHeader(r);
  const accessRequestSpecification = withPath('accessRequestSpecification', () =>
    readUsage(r, 'access-request-specification')
      ? readList(r, 'access-request-specification', MIN_REQUEST_SPECIFICATION, (x) =>
          readAccessRequestSpecification(x, rd),
        )
      : undefined,
  );
  const accessResponseListOfData = withPath('accessResponseListOfData', () =>
    readList(
      r,
      'access-response-list-of-data',
      MIN_DATA,
      rd,
      accessRequestSpecification === undefined
        ? undefined
        : { n: accessRequestSpecification.length, of: 'the echoed access-request-specification' },
    ),
  );
  const accessResponseSpecification = withPath('accessResponseSpecification', () =>
    readList(
      r,
      'access-response-specification',
      MIN_RESPONSE_SPECIFICATION,
      readAccessResponseSpecification,
      {
        n: accessResponseListOfData.length,
        of: 'access-response-list-of-data',
      },
    ),
  );
  const out: AccessResponse = { type: 'access-response', ...header } as AccessResponse;
  if (accessRequestSpecification !== undefined) out.accessRequestSpecification = accessRequestSpecification;
  out.accessResponseListOfData = accessResponseListOfData;
  out.accessResponseSpecification = accessResponseSpecification;
  return out;
}

/** Writes a SEQUENCE OF whose length must be `expected` (when given), errors naming `field` and the index. */
function writeList<T>(
  w: Writer,
  value: unknown,
  field: string,
  write: (w: Writer, x: T) => void,
  expected?: { n: number; of: string },
): void {
  const list = checkArray<T>(value, field);
  if (expected !== undefined && list.length !== expected.n) {
    invalid(
      `${field} has ${list.length} element(s), but ${expected.of} has ${expected.n}: they must match`,
      field,
    );
  }
  w.length(list.length);
  for (let i = 0; i < list.length; i++) {
    const x = list[i] as T;
    withPath(field, () => withPath(i, () => write(w, x)));
  }
}

/** Writes an Access-Request after its tag. */
export function writeAccessRequest(w: Writer, x: AccessRequest): void {
  writeHeader(w, x);
  const specs = checkArray<AccessRequestSpecification>(
    x.accessRequestSpecification,
    'accessRequestSpecification',
  );
  writeList(w, specs, 'accessRequestSpecification', writeAccessRequestSpecification);
  writeList(w, x.accessRequestListOfData, 'accessRequestListOfData', writeData, {
    n: specs.length,
    of: 'accessRequestSpecification',
  });
}

/** Writes an Access-Response after its tag. */
export function writeAccessResponse(w: Writer, x: AccessResponse): void {
  writeHeader(w, x);
  const echoed =
    x.accessRequestSpecification === undefined
      ? undefined
      : checkArray<AccessRequestSpecification>(x.accessRequestSpecification, 'accessRequestSpecification');
  if (echoed === undefined) w.u8(0);
  else {
    w.u8(1);
    writeList(w, echoed, 'accessRequestSpecification', writeAccessRequestSpecification);
  }
  const data = checkArray<Data>(x.accessResponseListOfData, 'accessResponseListOfData');
  writeList(
    w,
    data,
    'accessResponseListOfData',
    writeData,
    echoed === undefined ? undefined : { n: echoed.length, of: 'accessRequestSpecification' },
  );
  writeList(
    w,
    x.accessResponseSpecification,
    'accessResponseSpecification',
    writeAccessResponseSpecification,
    {
      n: data.length,
      of: 'accessResponseListOfData',
    },
  );
}
