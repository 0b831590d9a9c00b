/**
 * The xDLMS ConfirmedServiceError APDU (tag `0E`): a server's refusal of a confirmed service. In
 * DLMS/COSEM it is mostly seen inside an AARE's user-information, refusing the InitiateRequest
 * (`0E 01 06 xx`: initiateError, initiate, reason). IEC 62056-5-3 (Green Book), xDLMS ASN.1:
 *
 * ```asn1
 * confirmedServiceError [14] ConfirmedServiceError,
 *
 * ConfirmedServiceError ::= CHOICE {
 *   -- tag 0 is reserved
 *   initiateError        [1]  ServiceError,
 *   getStatus            [2]  ServiceError,
 *   getNameList          [3]  ServiceError,
 *   getVariableAttribute [4]  ServiceError,
 *   read                 [5]  ServiceError,
 *   write                [6]  ServiceError,
 *   getDataSetAttribute  [7]  ServiceError,
 *   getTIAttribute       [8]  ServiceError,
 *   changeScope          [9]  ServiceError,
 *   start                [10] ServiceError,
 *   stop                 [11] ServiceError,
 *   resume               [12] ServiceError,
 *   makeUsable           [13] ServiceError,
 *   initiateLoad         [14] ServiceError,
 *   loadSegment          [15] ServiceError,
 *   terminateLoad        [16] ServiceError,
 *   initiateUpLoad       [17] ServiceError,
 *   upLoadSegment        [18] ServiceError,
 *   terminateUpLoad      [19] ServiceError
 * }
 *
 * ServiceError ::= CHOICE {
 *   application-reference [0] IMPLICIT ENUMERATED {
 *     other (0), time-elapsed (1), application-unreachable (2), application-reference-invalid (3),
 *     application-context-unsupported (4), provider-communication-error (5), deciphering-error (6) },
 *   hardware-resource [1] IMPLICIT ENUMERATED {
 *     other (0), memory-unavailable (1), processor-resource-unavailable (2),
 *     mass-storage-unavailable (3), other-resource-unavailable (4) },
 *   vde-state-error [2] IMPLICIT ENUMERATED {
 *     other (0), no-dlms-context (1), loading-data-set (2), status-nochange (3), status-inoperable (4) },
 *   service [3] IMPLICIT ENUMERATED { other (0), pdu-size (1), service-unsupported (2) },
 *   definition [4] IMPLICIT ENUMERATED {
 *     other (0), object-undefined (1), object-class-inconsistent (2), object-attribute-inconsistent (3) },
 *   access [5] IMPLICIT ENUMERATED {
 *     other (0), scope-of-access-violated (1), object-access-violated (2), hardware-fault (3),
 *     object-unavailable (4) },
 *   initiate [6] IMPLICIT ENUMERATED {
 *     other (0), dlms-version-too-low (1), incompatible-conformance (2), pdu-size-too-short (3),
 *     refused-by-the-VDE-Handler (4) },
 *   load-data-set [7] IMPLICIT ENUMERATED {
 *     other (0), primitive-out-of-sequence (1), not-loadable (2), dataset-size-too-large (3),
 *     not-awaited-segment (4), interpretation-failure (5), storage-failure (6), data-set-not-ready (7) },
 *   -- change-scope [8] is reserved
 *   task [9] IMPLICIT ENUMERATED {
 *     other (0), no-remote-control (1), ti-stopped (2), ti-running (3), ti-unusable (4) },
 *   other [10] IMPLICIT ENUMERATED
 * }
 * ```
 *
 * A-XDR: `0E`, then the service's choice tag (one octet), the ServiceError choice tag (one octet), and the
 * enumeration (one octet). Enumeration values the standard does not name are kept as numbers, so any
 * octet round-trips; an unknown service or ServiceError choice tag is `MALFORMED`.
 *
 * @module
 */
import { DlmsError, withPath } from '../errors.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import { requireBytes, requireObject } from './initiate.ts';

/** The xDLMS tag of ConfirmedServiceError. */
export const CONFIRMED_SERVICE_ERROR_TAG = 0x0e;

/** The service whose request failed, by ConfirmedServiceError choice tag (index = tag; 0 is reserved). */
export const CONFIRMED_SERVICES = [
  undefined,
  'initiateError',
  'getStatus',
  'getNameList',
  'getVariableAttribute',
  'read',
  'write',
  'getDataSetAttribute',
  'getTIAttribute',
  'changeScope',
  'start',
  'stop',
  'resume',
  'makeUsable',
  'initiateLoad',
  'loadSegment',
  'terminateLoad',
  'initiateUpLoad',
  'upLoadSegment',
  'terminateUpLoad',
] as const;

export type ConfirmedService = Exclude<(typeof CONFIRMED_SERVICES)[number], undefined>;

/** The ServiceError choices, by choice tag, each with its enumeration's names (index = value). */
export const SERVICE_ERRORS = {
  'application-reference': {
    tag: 0,
    values: [
      'other',
      'time-elapsed',
      'application-unreachable',
      'application-reference-invalid',
      'application-context-unsupported',
      'provider-communication-error',
      'deciphering-error',
    ],
  },
  'hardware-resource': {
    tag: 1,
    values: [
      'other',
      'memory-unavailable',
      'processor-resource-unavailable',
      'mass-storage-unavailable',
      'other-resource-unavailable',
    ],
  },
  'vde-state-error': {
    tag: 2,
    values: ['other', 'no-dlms-context', 'loading-data-set', 'status-nochange', 'status-inoperable'],
  },
  service: { tag: 3, values: ['other', 'pdu-size', 'service-unsupported'] },
  definition: {
    tag: 4,
    values: ['other', 'object-undefined', 'object-class-inconsistent', 'object-attribute-inconsistent'],
  },
  access: {
    tag: 5,
    values: [
      'other',
      'scope-of-access-violated',
      'object-access-violated',
      'hardware-fault',
      'object-unavailable',
    ],
  },
  initiate: {
    tag: 6,
    values: [
      'other',
      'dlms-version-too-low',
      'incompatible-conformance',
      'pdu-size-too-short',
      'refused-by-the-VDE-Handler',
    ],
  },
  'load-data-set': {
    tag: 7,
    values: [
      'other',
      'primitive-out-of-sequence',
      'not-loadable',
      'dataset-size-too-large',
      'not-awaited-segment',
      'interpretation-failure',
      'storage-failure',
      'data-set-not-ready',
    ],
  },
  task: { tag: 9, values: ['other', 'no-remote-control', 'ti-stopped', 'ti-running', 'ti-unusable'] },
  other: { tag: 10, values: [] },
} as const satisfies Record<string, { tag: number; values: readonly string[] }>;

type ServiceErrors = typeof SERVICE_ERRORS;
/** The ServiceError choice names. */
export type ServiceErrorKind = keyof ServiceErrors;

/**
 * One ServiceError: the choice and its enumeration value, by name where the standard names it, otherwise
 * the number (0–255).
 */
export type ServiceError = {
  [K in ServiceErrorKind]: { kind: K; value: ServiceErrors[K]['values'][number] | number };
}[ServiceErrorKind];

/** An xDLMS ConfirmedServiceError. */
export interface ConfirmedServiceError {
  type: 'confirmed-service-error';
  service: ConfirmedService;
  error: ServiceError;
}

const KIND_BY_TAG: ReadonlyMap<number, ServiceErrorKind> = new Map(
  (Object.keys(SERVICE_ERRORS) as ServiceErrorKind[]).map((k) => [SERVICE_ERRORS[k].tag, k]),
);

/** Reads a ServiceError (choice tag and enumeration) at the reader's position. */
export function readServiceError(r: Reader): ServiceError {
  const at = r.pos;
  const tag = r.u8('ServiceError choice');
  const kind = KIND_BY_TAG.get(tag);
  if (kind === undefined) r.fail(`unknown ServiceError choice ${tag}`, at);
  const n = r.u8(`ServiceError ${kind}`);
  const names: readonly string[] = SERVICE_ERRORS[kind].values;
  return { kind, value: names[n] ?? n } as ServiceError;
}

/** Writes a ServiceError. */
export function writeServiceError(w: Writer, e: ServiceError): void {
  const def = e && typeof e === 'object' ? SERVICE_ERRORS[e.kind as ServiceErrorKind] : undefined;
  if (def === undefined) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `unknown ServiceError kind ${JSON.stringify((e as { kind?: unknown })?.kind)}`,
    );
  }
  w.u8(def.tag).u8(enumValue(def.values, e.value, `ServiceError ${e.kind}`));
}

/** The number of an enumeration value given by name (from `names`) or as a number 0–255. */
export function enumValue(names: readonly (string | undefined)[], value: unknown, what: string): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 255) return value;
  } else if (typeof value === 'string') {
    const i = names.indexOf(value);
    if (i >= 0) return i;
  }
  throw new DlmsError('INVALID_ARGUMENT', `${what}: ${JSON.stringify(value)} is not a known name or 0..255`);
}

/** Reads a ConfirmedServiceError, tag `0E` included. */
export function readConfirmedServiceError(r: Reader): ConfirmedServiceError {
  const at = r.pos;
  const tag = r.u8('tag');
  if (tag !== CONFIRMED_SERVICE_ERROR_TAG) r.fail(`expected ConfirmedServiceError tag 0E, got ${tag}`, at);
  const service = withPath('service', () => {
    const sAt = r.pos;
    const s = r.u8('ConfirmedServiceError choice');
    const name = CONFIRMED_SERVICES[s];
    if (name === undefined) r.fail(`unknown ConfirmedServiceError choice ${s}`, sAt);
    return name;
  });
  const error = withPath('error', () => readServiceError(r));
  return { type: 'confirmed-service-error', service, error };
}

/** Writes a ConfirmedServiceError, tag included. */
export function writeConfirmedServiceError(w: Writer, x: ConfirmedServiceError): void {
  const s = CONFIRMED_SERVICES.indexOf(x.service);
  if (s <= 0) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `unknown ConfirmedServiceError service ${JSON.stringify(x.service)}`,
      {
        path: ['service'],
      },
    );
  }
  w.u8(CONFIRMED_SERVICE_ERROR_TAG).u8(s);
  withPath('error', () => writeServiceError(w, x.error));
}

/** Decodes a whole ConfirmedServiceError (`0E …`). */
export function decodeConfirmedServiceError(bytes: Uint8Array): ConfirmedServiceError {
  requireBytes(bytes, 'decodeConfirmedServiceError');
  const r = new Reader(bytes);
  const x = readConfirmedServiceError(r);
  r.expectEnd('ConfirmedServiceError');
  return x;
}

/** Encodes a ConfirmedServiceError (`0E …`). */
export function encodeConfirmedServiceError(x: ConfirmedServiceError): Uint8Array<ArrayBuffer> {
  requireObject(x, 'encodeConfirmedServiceError');
  const w = new Writer(8);
  writeConfirmedServiceError(w, x);
  return w.finish();
}
