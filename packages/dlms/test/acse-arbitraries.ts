/**
 * fast-check arbitraries for the xDLMS initiate/error APDUs and the ACSE APDUs. Every generated value is
 * in the canonical model form (what the decoder returns), so `decode(encode(x))` must deep-equal `x`.
 */
import fc from 'fast-check';
import type {
  Aare,
  Aarq,
  AssociateSourceDiagnostic,
  AuthenticationValue,
  Rlre,
  Rlrq,
  UserInformation,
} from '../src/acse/index.ts';
import {
  ACSE_SERVICE_PROVIDER_DIAGNOSTICS,
  ACSE_SERVICE_USER_DIAGNOSTICS,
  APPLICATION_CONTEXT_NAMES,
  ASSOCIATION_RESULTS,
  MECHANISM_NAMES,
} from '../src/acse/index.ts';
import {
  CONFIRMED_SERVICES,
  CONFORMANCE_BITS,
  type ConfirmedServiceError,
  type Conformance,
  EXCEPTION_SERVICE_ERRORS,
  EXCEPTION_STATE_ERRORS,
  type ExceptionResponse,
  type InitiateRequest,
  type InitiateResponse,
  SERVICE_ERRORS,
  type ServiceError,
  type ServiceErrorKind,
  type XdlmsApdu,
} from '../src/apdu/index.ts';
import { toHex } from '../src/internal/hex.ts';

export const arbHex = (maxLength = 40, minLength = 0): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength, maxLength }).map((b) => toHex(b));

export const arbConformance: fc.Arbitrary<Conformance> = fc.subarray([...CONFORMANCE_BITS]);

export const arbInitiateRequest: fc.Arbitrary<InitiateRequest> = fc
  .record(
    {
      type: fc.constant('initiate-request' as const),
      dedicatedKey: arbHex(40),
      responseAllowed: fc.boolean(),
      proposedQualityOfService: fc.integer({ min: -128, max: 127 }),
      proposedDlmsVersionNumber: fc.integer({ min: 0, max: 255 }),
      proposedConformance: arbConformance,
      clientMaxReceivePduSize: fc.integer({ min: 0, max: 0xffff }),
    },
    {
      requiredKeys: [
        'type',
        'responseAllowed',
        'proposedDlmsVersionNumber',
        'proposedConformance',
        'clientMaxReceivePduSize',
      ],
    },
  )
  .map((x) => x as InitiateRequest);

export const arbInitiateResponse: fc.Arbitrary<InitiateResponse> = fc
  .record(
    {
      type: fc.constant('initiate-response' as const),
      negotiatedQualityOfService: fc.integer({ min: -128, max: 127 }),
      negotiatedDlmsVersionNumber: fc.integer({ min: 0, max: 255 }),
      negotiatedConformance: arbConformance,
      serverMaxReceivePduSize: fc.integer({ min: 0, max: 0xffff }),
      vaaName: fc.oneof(fc.constantFrom(0x0007, 0xfa00), fc.integer({ min: 0, max: 0xffff })),
    },
    {
      requiredKeys: [
        'type',
        'negotiatedDlmsVersionNumber',
        'negotiatedConformance',
        'serverMaxReceivePduSize',
        'vaaName',
      ],
    },
  )
  .map((x) => x as InitiateResponse);

/** A name from `names`, or a number the table does not name. */
function namedOrNumber<T extends string>(
  names: readonly (T | undefined)[],
  numbers: fc.Arbitrary<number>,
): fc.Arbitrary<T | number> {
  const named = names.filter((n): n is T => n !== undefined);
  const unnamed = numbers.filter((n) => names[n] === undefined);
  return named.length > 0 ? fc.oneof(fc.constantFrom(...named), unnamed) : unnamed;
}

export const arbServiceError: fc.Arbitrary<ServiceError> = fc
  .constantFrom(...(Object.keys(SERVICE_ERRORS) as ServiceErrorKind[]))
  .chain((kind) =>
    namedOrNumber<string>(SERVICE_ERRORS[kind].values, fc.integer({ min: 0, max: 255 })).map(
      (value) => ({ kind, value }) as ServiceError,
    ),
  );

export const arbConfirmedServiceError: fc.Arbitrary<ConfirmedServiceError> = fc.record({
  type: fc.constant('confirmed-service-error' as const),
  service: fc.constantFrom(...CONFIRMED_SERVICES.filter((s) => s !== undefined)),
  error: arbServiceError,
});

export const arbExceptionResponse: fc.Arbitrary<ExceptionResponse> = fc
  .tuple(
    namedOrNumber(EXCEPTION_STATE_ERRORS, fc.integer({ min: 0, max: 255 })),
    fc.constantFrom(...EXCEPTION_SERVICE_ERRORS.filter((s) => s !== undefined)),
    fc.nat({ max: 0xffffffff }),
  )
  .map(([stateError, serviceError, ic]) => {
    const x: ExceptionResponse = { type: 'exception-response', stateError, serviceError };
    if (serviceError === 'invocation-counter-error') x.invocationCounter = ic;
    return x;
  });

export const arbXdlmsApdu: fc.Arbitrary<XdlmsApdu> = fc.oneof(
  arbInitiateRequest,
  arbInitiateResponse,
  arbConfirmedServiceError,
  arbExceptionResponse,
);

// --- ACSE

const KNOWN_OIDS = new Set<string>([
  ...Object.values(APPLICATION_CONTEXT_NAMES),
  ...Object.values(MECHANISM_NAMES),
]);

/** A dotted OID that is not one of the DLMS names. */
export const arbForeignOid: fc.Arbitrary<`${number}.${number}${string}`> = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 2 ** 40 })), {
      maxLength: 8,
    }),
  )
  .map(([a, b, rest]) => [a, b, ...rest].join('.') as `${number}.${number}${string}`)
  .filter((oid) => !KNOWN_OIDS.has(oid));

const arbContext = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ...(Object.keys(APPLICATION_CONTEXT_NAMES) as (keyof typeof APPLICATION_CONTEXT_NAMES)[]),
    ),
  },
  { weight: 1, arbitrary: arbForeignOid },
);
const arbMechanism = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(...(Object.keys(MECHANISM_NAMES) as (keyof typeof MECHANISM_NAMES)[])),
  },
  { weight: 1, arbitrary: arbForeignOid },
);
const arbInt48 = fc.integer({ min: -(2 ** 47), max: 2 ** 47 - 1 });
const arbBits = fc.array(fc.constantFrom('0', '1'), { maxLength: 40 }).map((a) => a.join(''));
const arbAuthValue: fc.Arbitrary<AuthenticationValue> = fc.oneof(
  arbHex(64).map((charstring) => ({ charstring })),
  arbBits.map((bitstring) => ({ bitstring })),
);

export const arbOpaque: fc.Arbitrary<UserInformation> = fc
  .uint8Array({ maxLength: 300 })
  .filter((b) => b.length === 0 || (b[0] !== 0x01 && b[0] !== 0x08 && b[0] !== 0x0e))
  .map((b) => ({ type: 'opaque' as const, hex: toHex(b) }));

export const arbUserInformation: fc.Arbitrary<UserInformation> = fc.oneof(
  arbInitiateRequest,
  arbInitiateResponse,
  arbConfirmedServiceError,
  arbOpaque,
);

const arbRequirements = fc.boolean().map((authentication) => ({ authentication }));

export const arbAarq: fc.Arbitrary<Aarq> = fc
  .record(
    {
      type: fc.constant('aarq' as const),
      protocolVersion: fc.constant('version1' as const),
      applicationContextName: arbContext,
      calledApTitle: arbHex(16),
      calledAeQualifier: arbHex(200),
      calledApInvocationId: arbInt48,
      calledAeInvocationId: arbInt48,
      callingApTitle: arbHex(16),
      callingAeQualifier: arbHex(200),
      callingApInvocationId: arbInt48,
      callingAeInvocationId: arbInt48,
      senderAcseRequirements: arbRequirements,
      mechanismName: arbMechanism,
      callingAuthenticationValue: arbAuthValue,
      implementationInformation: arbHex(20),
      userInformation: arbUserInformation,
    },
    { requiredKeys: ['type', 'applicationContextName'] },
  )
  .map((x) => x as Aarq);

const arbDiagnostic: fc.Arbitrary<AssociateSourceDiagnostic> = fc.oneof(
  namedOrNumber(ACSE_SERVICE_USER_DIAGNOSTICS, arbInt48).map((value) => ({
    source: 'acse-service-user' as const,
    value,
  })),
  namedOrNumber(ACSE_SERVICE_PROVIDER_DIAGNOSTICS, arbInt48).map((value) => ({
    source: 'acse-service-provider' as const,
    value,
  })),
);

export const arbAare: fc.Arbitrary<Aare> = fc
  .record(
    {
      type: fc.constant('aare' as const),
      protocolVersion: fc.constant('version1' as const),
      applicationContextName: arbContext,
      result: namedOrNumber(ASSOCIATION_RESULTS, arbInt48),
      resultSourceDiagnostic: arbDiagnostic,
      respondingApTitle: arbHex(16),
      respondingAeQualifier: arbHex(200),
      respondingApInvocationId: arbInt48,
      respondingAeInvocationId: arbInt48,
      responderAcseRequirements: arbRequirements,
      mechanismName: arbMechanism,
      respondingAuthenticationValue: arbAuthValue,
      implementationInformation: arbHex(20),
      userInformation: arbUserInformation,
    },
    { requiredKeys: ['type', 'applicationContextName', 'result', 'resultSourceDiagnostic'] },
  )
  .map((x) => x as Aare);

const releaseReason = <T extends string>(names: Record<number, T>): fc.Arbitrary<T | number> =>
  fc.oneof(
    fc.constantFrom(...Object.values(names)),
    arbInt48.filter((n) => names[n] === undefined),
  );

export const arbRlrq: fc.Arbitrary<Rlrq> = fc
  .record(
    {
      type: fc.constant('rlrq' as const),
      reason: releaseReason({ 0: 'normal', 1: 'urgent', 30: 'user-defined' } as const),
      userInformation: arbUserInformation,
    },
    { requiredKeys: ['type'] },
  )
  .map((x) => x as Rlrq);

export const arbRlre: fc.Arbitrary<Rlre> = fc
  .record(
    {
      type: fc.constant('rlre' as const),
      reason: releaseReason({ 0: 'normal', 1: 'not-finished', 30: 'user-defined' } as const),
      userInformation: arbUserInformation,
    },
    { requiredKeys: ['type'] },
  )
  .map((x) => x as Rlre);
