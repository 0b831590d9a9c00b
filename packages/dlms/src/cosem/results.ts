/**
 * The results a COSEM server object answers with when it refuses a GET, SET or ACTION (IEC 62056-5-3,
 * DLMS UA 1000-2 Green Book, xDLMS ASN.1), and the typed error that carries them.
 *
 * ```asn1
 * Data-Access-Result ::= ENUMERATED {
 *   success (0), hardware-fault (1), temporary-failure (2), read-write-denied (3), object-undefined (4),
 *   object-class-inconsistent (9), object-unavailable (11), type-unmatched (12),
 *   scope-of-access-violated (13), data-block-unavailable (14), long-get-aborted (15),
 *   no-long-get-in-progress (16), long-set-aborted (17), no-long-set-in-progress (18),
 *   data-block-number-invalid (19), other-reason (250)
 * }
 * Action-Result ::= ENUMERATED {
 *   success (0), hardware-fault (1), temporary-failure (2), read-write-denied (3), object-undefined (4),
 *   object-class-inconsistent (9), object-unavailable (11), type-unmatched (12),
 *   scope-of-access-violated (13), data-block-unavailable (14), long-action-aborted (15),
 *   no-long-action-in-progress (16), other-reason (250)
 * }
 * ```
 *
 * The enumerations themselves are defined once, in `src/apdu/results.ts` (the xDLMS GET/SET/ACTION
 * APDUs that carry them); this module re-exports them under the names the COSEM layer has always used
 * (`DATA_ACCESS_RESULT`, `ACTION_RESULT`, and the name-only `DataAccessResult` / `ActionResult` types).
 *
 * @module
 */
import {
  ACTION_RESULTS,
  type ActionResultName,
  DATA_ACCESS_RESULTS,
  type DataAccessResultName,
} from '../apdu/results.ts';
import { DlmsError } from '../errors.ts';

/** Data-Access-Result values by name (Green Book); the same object as `/apdu`'s `DATA_ACCESS_RESULTS`. */
export const DATA_ACCESS_RESULT: typeof DATA_ACCESS_RESULTS = DATA_ACCESS_RESULTS;

/** A Data-Access-Result by its standard name. */
export type DataAccessResult = DataAccessResultName;

/** Action-Result values by name (Green Book); the same object as `/apdu`'s `ACTION_RESULTS`. */
export const ACTION_RESULT: typeof ACTION_RESULTS = ACTION_RESULTS;

/** An Action-Result by its standard name. */
export type ActionResult = ActionResultName;

/** Which service was refused: GET and SET answer a Data-Access-Result, ACTION an Action-Result. */
export type CosemService = 'get' | 'set' | 'action';

const SERVICE_BRAND: unique symbol = Symbol.for('ami-interop.cosem-service-error') as never;

/**
 * A COSEM object refused a GET, SET or ACTION. A `DlmsError` with code `SERVICE_ERROR` whose `result` is
 * the Data-Access-Result (GET, SET) or Action-Result (ACTION) that a server sends back, and whose `path`
 * names the object and attribute or method.
 *
 * `instanceof CosemServiceError` is true for any `DlmsError` that carries a service result (the check is
 * by brand, so it survives duplicate module copies); {@link isCosemServiceError} is the same as a function.
 */
export class CosemServiceError extends DlmsError {
  readonly service: CosemService;
  /** The result to answer with: a {@link DataAccessResult} for get/set, an {@link ActionResult} for action. */
  readonly result: DataAccessResult | ActionResult;
  declare readonly [SERVICE_BRAND]: true;

  constructor(
    service: CosemService,
    result: DataAccessResult | ActionResult,
    message: string,
    options: { path?: readonly (string | number)[]; cause?: unknown } = {},
  ) {
    super('SERVICE_ERROR', `${service} refused (${result}): ${message}`, options);
    this.name = 'CosemServiceError';
    this.service = service;
    this.result = result;
    Object.defineProperty(this, SERVICE_BRAND, { value: true, enumerable: false });
  }

  /** The numeric result as it goes on the wire. */
  get resultValue(): number {
    return this.service === 'action'
      ? ACTION_RESULT[this.result as ActionResult]
      : DATA_ACCESS_RESULT[this.result as DataAccessResult];
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [SERVICE_BRAND]?: unknown })[SERVICE_BRAND] === true
    );
  }
}

/** True when `e` is a refusal carrying a service result (optionally of the given result). */
export function isCosemServiceError(
  e: unknown,
  result?: DataAccessResult | ActionResult,
): e is CosemServiceError {
  return e instanceof CosemServiceError && (result === undefined || e.result === result);
}

/** A GET or SET refusal. */
export function accessError(
  service: 'get' | 'set',
  result: DataAccessResult,
  message: string,
  cause?: unknown,
): CosemServiceError {
  return new CosemServiceError(service, result, message, { cause });
}

/** An ACTION refusal. */
export function actionError(result: ActionResult, message: string, cause?: unknown): CosemServiceError {
  return new CosemServiceError('action', result, message, { cause });
}
