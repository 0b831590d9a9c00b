/**
 * The ACSE field types DLMS uses, and a table-driven codec for the `[APPLICATION n] IMPLICIT SEQUENCE`
 * bodies of AARQ, AARE, RLRQ and RLRE. Tagging follows the ACSE module (explicit by default), as the
 * Green Book prints it:
 *
 * ```asn1
 * Application-context-name ::= OBJECT IDENTIFIER            -- under an explicit tag: A1 09 06 07 …
 * AP-title                 ::= OCTET STRING                 -- explicit: A6 0A 04 08 <system title>
 * AE-qualifier             ::= OCTET STRING
 * AP-invocation-identifier ::= INTEGER                      -- explicit: A8 03 02 01 xx
 * AE-invocation-identifier ::= INTEGER
 * ACSE-requirements        ::= BIT STRING { authentication (0) }   -- IMPLICIT: 8A 02 07 80
 * Mechanism-name           ::= OBJECT IDENTIFIER            -- IMPLICIT: 8B 07 60 85 74 05 08 02 xx
 * Authentication-value     ::= CHOICE {
 *   charstring [0] IMPLICIT GraphicString,                  -- AC 0A 80 08 <password>
 *   bitstring  [1] IMPLICIT BIT STRING,
 *   external   [2] IMPLICIT EXTERNAL,
 *   other      [3] IMPLICIT SEQUENCE { … }
 * }
 * Implementation-data      ::= GraphicString
 * Association-information  ::= OCTET STRING                 -- explicit [30]: BE 10 04 0E <xDLMS APDU>
 * ```
 *
 * Decoding is strict about structure (fields in tag order, each at most once, the expected primitive or
 * constructed form) and lenient where DLMS peers vary harmlessly (non-minimal lengths, BIT STRING
 * padding bits). Octet strings are upper-case hex in the model, so the model is its own JSON form.
 *
 * @module
 */
import {
  type ConfirmedServiceError,
  readConfirmedServiceError,
  writeConfirmedServiceError,
} from '../apdu/confirmed-service-error.ts';
import {
  type InitiateRequest,
  type InitiateResponse,
  readInitiateRequest,
  readInitiateResponse,
  requireBytes,
  writeInitiateRequest,
  writeInitiateResponse,
} from '../apdu/initiate.ts';
import { DlmsError, withPath } from '../errors.ts';
import { fromHex, toHex } from '../internal/hex.ts';
import { Reader } from '../internal/reader.ts';
import { Writer } from '../internal/writer.ts';
import {
  type BerNode,
  decodeBitString,
  decodeInteger,
  decodeOid,
  encodeBitString,
  encodeInteger,
  encodeOid,
  explicitInner,
  fail,
  identifier,
  parseBer,
  primitive,
  writePrimitive,
  writeTlv,
} from './ber.ts';
import {
  ACSE_SERVICE_PROVIDER_DIAGNOSTICS,
  ACSE_SERVICE_USER_DIAGNOSTICS,
  type AcseServiceProviderDiagnostic,
  type AcseServiceUserDiagnostic,
  APPLICATION_CONTEXT_NAMES,
  contextFromOid,
  integerOf,
  MECHANISM_NAMES,
  mechanismFromOid,
  nameOf,
  oidOf,
} from './names.ts';

/** ACSE-requirements (sender's or responder's): only the authentication functional unit is defined. */
export interface AcseRequirements {
  authentication: boolean;
}

/**
 * An authentication value: DLMS uses `charstring` (the LLS password, or the HLS challenge), given as hex
 * because HLS challenges are arbitrary octets; `bitstring` is the other simple form (`0`/`1` characters).
 */
export type AuthenticationValue = { charstring: string } | { bitstring: string };

/** An xDLMS APDU kept as its bytes (ciphered initiate APDUs, or any other tag). `hex` includes the tag. */
export interface OpaqueApdu {
  type: 'opaque';
  hex: string;
}

/**
 * The xDLMS APDU carried in `user-information`: decoded when it is an InitiateRequest (`01`),
 * InitiateResponse (`08`) or ConfirmedServiceError (`0E`); otherwise (glo-initiateRequest `21`,
 * glo-initiateResponse `28`, ded-… , general-…-ciphering) kept opaque for the security layer.
 */
export type UserInformation = InitiateRequest | InitiateResponse | ConfirmedServiceError | OpaqueApdu;

/** Associate-source-diagnostic: which ACSE side gave the result, and why. */
export type AssociateSourceDiagnostic =
  | { source: 'acse-service-user'; value: AcseServiceUserDiagnostic | number }
  | { source: 'acse-service-provider'; value: AcseServiceProviderDiagnostic | number };

/** How one field is encoded; see the module comment for the ASN.1. */
export type FieldKind =
  | 'protocol-version'
  | 'context-name'
  | 'octets'
  | 'integer'
  | 'requirements'
  | 'mechanism'
  | 'auth-value'
  | 'graphic'
  | 'user-information'
  | 'result'
  | 'diagnostic'
  | 'release-reason';

export interface FieldSpec {
  key: string;
  /** Context tag number. */
  tag: number;
  kind: FieldKind;
  required?: boolean;
  /** For `result` and `release-reason`: the value names. */
  names?: Readonly<Record<number, string>> | readonly string[];
}

/** `[0] IMPLICIT BIT STRING { version1 (0) } DEFAULT { version1 }` — present only if sent explicitly. */
export type ProtocolVersion = 'version1';

// ---------------------------------------------------------------------------------------------------------
// Decoding

/**
 * Decodes a whole ACSE APDU with the given application tag into a plain object with `type` first and
 * the fields in tag order (absent optional fields have no key).
 */
export function decodeApdu(
  bytes: Uint8Array,
  appTag: number,
  type: string,
  specs: readonly FieldSpec[],
): Record<string, unknown> {
  requireBytes(bytes, `decode ${type.toUpperCase()}`);
  if (bytes.length > 0 && bytes[0] !== identifier('application', true, appTag)) {
    throw new DlmsError(
      'MALFORMED',
      `expected ${type.toUpperCase()} tag ${hex2(identifier('application', true, appTag))}, got ${hex2(bytes[0]!)}`,
      { offset: 0 },
    );
  }
  const root = parseBer(bytes);
  const out: Record<string, unknown> = { type };
  const byTag = new Map(specs.map((s) => [s.tag, s]));
  let last = -1;
  for (const child of root.children) {
    if (child.cls !== 'context') fail(child, `${type}: unexpected ${child.cls} tag ${child.tag}`);
    const spec = byTag.get(child.tag);
    if (spec === undefined) {
      throw new DlmsError('UNSUPPORTED', `${type}: field [${child.tag}] is not used by DLMS`, {
        offset: child.offset,
      });
    }
    if (child.tag <= last) fail(child, `${type}: field [${child.tag}] repeated or out of order`);
    last = child.tag;
    out[spec.key] = withPath(spec.key, () => decodeField(child, spec, bytes));
  }
  for (const s of specs) {
    if (s.required && !(s.key in out)) {
      throw new DlmsError('MALFORMED', `${type}: mandatory field ${s.key} [${s.tag}] is missing`, {
        offset: root.offset,
        path: [s.key],
      });
    }
  }
  // Canonical key order: type, then fields in tag order (they were read in tag order already).
  return out;
}

function decodeField(node: BerNode, spec: FieldSpec, input: Uint8Array): unknown {
  switch (spec.kind) {
    case 'protocol-version': {
      const bits = decodeBitString(node);
      if (bits !== '1') {
        throw new DlmsError(
          'UNSUPPORTED',
          `protocol-version ${bits || '(empty)'}: only version1 is defined`,
          {
            offset: node.offset,
          },
        );
      }
      return 'version1';
    }
    case 'context-name':
      return contextFromOid(decodeOid(explicitInner(node, 6, 'application-context-name')));
    case 'octets':
      return toHex(explicitInner(node, 4, spec.key).content);
    case 'integer':
      return decodeInteger(explicitInner(node, 2, spec.key));
    case 'requirements': {
      const bits = decodeBitString(node);
      return { authentication: bits[0] === '1' } satisfies AcseRequirements;
    }
    case 'mechanism':
      return mechanismFromOid(decodeOid(node));
    case 'auth-value': {
      if (!node.constructed || node.children.length !== 1)
        fail(node, 'authentication-value: expected one choice');
      const inner = node.children[0]!;
      if (inner.cls === 'context' && inner.tag === 0)
        return { charstring: toHex(primitive(inner, 'charstring')) };
      if (inner.cls === 'context' && inner.tag === 1) return { bitstring: decodeBitString(inner) };
      throw new DlmsError('UNSUPPORTED', `authentication-value choice [${inner.tag}] is not used by DLMS`, {
        offset: inner.offset,
      });
    }
    case 'graphic':
      return toHex(primitive(node, spec.key));
    case 'user-information':
      return decodeUserInformation(explicitInner(node, 4, 'user-information'), input);
    case 'result':
      return nameOf(spec.names!, decodeInteger(explicitInner(node, 2, 'result')));
    case 'release-reason':
      return nameOf(spec.names!, decodeInteger(node));
    case 'diagnostic': {
      if (!node.constructed || node.children.length !== 1)
        fail(node, 'result-source-diagnostic: expected one choice');
      const inner = node.children[0]!;
      if (inner.cls !== 'context' || (inner.tag !== 1 && inner.tag !== 2)) {
        fail(inner, 'result-source-diagnostic: expected acse-service-user [1] or acse-service-provider [2]');
      }
      const n = decodeInteger(explicitInner(inner, 2, 'result-source-diagnostic'));
      return inner.tag === 1
        ? { source: 'acse-service-user', value: nameOf(ACSE_SERVICE_USER_DIAGNOSTICS, n) }
        : { source: 'acse-service-provider', value: nameOf(ACSE_SERVICE_PROVIDER_DIAGNOSTICS, n) };
    }
  }
}

/** The xDLMS APDU inside user-information; offsets stay offsets in the whole input. */
function decodeUserInformation(octets: BerNode, input: Uint8Array): UserInformation {
  const c = octets.content;
  if (c.length === 0) return { type: 'opaque', hex: '' };
  const r = new Reader(input, octets.contentOffset, octets.contentOffset + c.length);
  try {
    let x: UserInformation;
    switch (c[0]) {
      case 0x01:
        x = readInitiateRequest(r);
        break;
      case 0x08:
        x = readInitiateResponse(r);
        break;
      case 0x0e:
        x = readConfirmedServiceError(r);
        break;
      default:
        return { type: 'opaque', hex: toHex(c) };
    }
    r.expectEnd('the xDLMS APDU in user-information');
    return x;
  } catch (e) {
    // The octet string is complete, so an xDLMS APDU ending early inside it is malformed, not incomplete.
    if (e instanceof DlmsError && e.code === 'INCOMPLETE') {
      throw new DlmsError('MALFORMED', `user-information: ${e.message}`, { offset: e.offset, path: e.path });
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

/** Encodes an ACSE APDU from a plain object, writing the fields of `specs` that are present. */
export function encodeApdu(
  value: Record<string, unknown>,
  appTag: number,
  type: string,
  specs: readonly FieldSpec[],
): Uint8Array<ArrayBuffer> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DlmsError('INVALID_ARGUMENT', `${type}: expected an object`);
  }
  if (value.type !== type) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `${type}: type must be "${type}", got ${JSON.stringify(value.type)}`,
      {
        path: ['type'],
      },
    );
  }
  const w = new Writer(64);
  writeTlv(w, identifier('application', true, appTag), () => {
    for (const spec of specs) {
      const v = value[spec.key];
      if (v === undefined) {
        if (spec.required) {
          throw new DlmsError('INVALID_ARGUMENT', `${type}: ${spec.key} is mandatory`, { path: [spec.key] });
        }
        continue;
      }
      withPath(spec.key, () => encodeField(w, spec, v));
    }
  });
  return w.finish();
}

function encodeField(w: Writer, spec: FieldSpec, v: unknown): void {
  const ctx = (constructed: boolean): number => identifier('context', constructed, spec.tag);
  switch (spec.kind) {
    case 'protocol-version':
      if (v !== 'version1') throw new DlmsError('INVALID_ARGUMENT', 'protocolVersion can only be "version1"');
      writePrimitive(w, ctx(false), encodeBitString('1'));
      return;
    case 'context-name':
      writeTlv(w, ctx(true), () =>
        writePrimitive(w, 0x06, encodeOid(oidOf(APPLICATION_CONTEXT_NAMES, v, 'applicationContextName'))),
      );
      return;
    case 'octets':
      writeTlv(w, ctx(true), () => writePrimitive(w, 0x04, hexArg(v, spec.key)));
      return;
    case 'integer':
      writeTlv(w, ctx(true), () => writePrimitive(w, 0x02, encodeInteger(intArg(v, spec.key))));
      return;
    case 'requirements': {
      const auth = (v as AcseRequirements | null)?.authentication;
      if (typeof auth !== 'boolean') {
        throw new DlmsError('INVALID_ARGUMENT', `${spec.key} must be { authentication: boolean }`);
      }
      writePrimitive(w, ctx(false), encodeBitString(auth ? '1' : '0'));
      return;
    }
    case 'mechanism':
      writePrimitive(w, ctx(false), encodeOid(oidOf(MECHANISM_NAMES, v, 'mechanismName')));
      return;
    case 'auth-value': {
      const a = v as Partial<{ charstring: unknown; bitstring: unknown }> | null;
      writeTlv(w, ctx(true), () => {
        if (a && typeof a.charstring === 'string' && a.bitstring === undefined) {
          writePrimitive(w, 0x80, hexArg(a.charstring, 'charstring'));
        } else if (a && typeof a.bitstring === 'string' && a.charstring === undefined) {
          writePrimitive(w, 0x81, encodeBitString(a.bitstring));
        } else {
          throw new DlmsError(
            'INVALID_ARGUMENT',
            `${spec.key} must be { charstring: hex } or { bitstring: bits }`,
          );
        }
      });
      return;
    }
    case 'graphic':
      writePrimitive(w, ctx(false), hexArg(v, spec.key));
      return;
    case 'user-information':
      writeTlv(w, ctx(true), () => writeTlv(w, 0x04, () => writeUserInformation(w, v as UserInformation)));
      return;
    case 'result':
      writeTlv(w, ctx(true), () =>
        writePrimitive(w, 0x02, encodeInteger(integerOf(spec.names!, v, spec.key))),
      );
      return;
    case 'release-reason':
      writePrimitive(w, ctx(false), encodeInteger(integerOf(spec.names!, v, spec.key)));
      return;
    case 'diagnostic': {
      const d = v as Partial<AssociateSourceDiagnostic> | null;
      const user = d?.source === 'acse-service-user';
      if (!d || (!user && d.source !== 'acse-service-provider')) {
        throw new DlmsError(
          'INVALID_ARGUMENT',
          'resultSourceDiagnostic.source must be acse-service-user or -provider',
        );
      }
      const names = user ? ACSE_SERVICE_USER_DIAGNOSTICS : ACSE_SERVICE_PROVIDER_DIAGNOSTICS;
      const n = integerOf(names, d.value, 'resultSourceDiagnostic.value');
      writeTlv(w, ctx(true), () =>
        writeTlv(w, identifier('context', true, user ? 1 : 2), () =>
          writePrimitive(w, 0x02, encodeInteger(n)),
        ),
      );
      return;
    }
  }
}

function writeUserInformation(w: Writer, u: UserInformation): void {
  switch (u?.type) {
    case 'initiate-request':
      writeInitiateRequest(w, u);
      return;
    case 'initiate-response':
      writeInitiateResponse(w, u);
      return;
    case 'confirmed-service-error':
      writeConfirmedServiceError(w, u);
      return;
    case 'opaque':
      w.bytes(hexArg(u.hex, 'hex'));
      return;
    default:
      throw new DlmsError(
        'INVALID_ARGUMENT',
        `userInformation.type must be initiate-request, initiate-response, confirmed-service-error or opaque`,
      );
  }
}

function hexArg(v: unknown, what: string): Uint8Array<ArrayBuffer> {
  if (typeof v !== 'string') throw new DlmsError('INVALID_ARGUMENT', `${what} must be a hex string`);
  return fromHex(v);
}

function intArg(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new DlmsError('INVALID_ARGUMENT', `${what} must be an integer`);
  }
  return v;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
