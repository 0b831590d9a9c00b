/**
 * The server's view of one configured association: its Association LN object (which is also its access
 * policy), the names it expects in an AARQ, and its keys.
 *
 * @module
 */
import type { Conformance, ConformanceBit } from '../apdu/conformance.ts';
import { type AccessRights, AssociationLnObject, defaultAccessRights } from '../cosem/association-ln.ts';
import { type AccessPolicy, ATTRIBUTE_ACCESS, type CosemObject, METHOD_ACCESS } from '../cosem/object.ts';
import type { CosemObjectSet } from '../cosem/object-set.ts';
import { DlmsError } from '../errors.ts';
import { type Obis, obis, obisEquals, parseObis } from '../obis/index.ts';
import type { SecurityPolicy } from '../security/control.ts';
import type { ServerAccessRights, ServerAssociation, ServerKeys } from './types.ts';

/** `0.0.40.0.0.255`: the current association, whichever it is. */
export const CURRENT_ASSOCIATION_LN: Obis = /* @__PURE__ */ obis(0, 0, 40, 0, 0, 255);

const IS15959_INSTANCE: Readonly<Record<number, number>> = { 16: 1, 32: 2, 48: 3, 64: 4, 80: 5 };

/** Mechanism id of each authentication (the last arc of 2.16.756.5.8.2.x). */
export const MECHANISM_IDS = {
  none: 0,
  lls: 1,
  hls: 2,
  'hls-md5': 3,
  'hls-sha1': 4,
  'hls-gmac': 5,
  'hls-sha256': 6,
} as const;

/** The ACSE `MechanismName` of each authentication. */
export const MECHANISM_ACSE_NAMES = {
  none: 'lowest',
  lls: 'low',
  hls: 'high',
  'hls-md5': 'high-md5',
  'hls-sha1': 'high-sha1',
  'hls-gmac': 'high-gmac',
  'hls-sha256': 'high-sha256',
} as const;

/** A configured association, checked and with its objects resolved. */
export interface ResolvedAssociation {
  readonly config: ServerAssociation;
  readonly clientSap: number;
  readonly logicalName: Obis;
  /** The Association LN object (created or found in the object set). */
  readonly object: CosemObject;
  readonly policy: AccessPolicy;
  readonly visible: (o: CosemObject) => boolean;
  /** Security policy, undefined for none. */
  readonly security: SecurityPolicy | undefined;
  readonly keys: ServerKeys | undefined;
  /** Counter-store slot of this association's keys. */
  readonly keyId: string;
  readonly conformance: Conformance;
  readonly maxReceivePduSize: number;
  readonly minClientPduSize: number;
  /** `ln` or `ln-ciphered`. */
  readonly contextName: 'ln' | 'ln-ciphered';
  /** HLS (mechanisms 2–6): the four-pass exchange. */
  readonly hls: boolean;
  /** Whether the client system title is needed in the AARQ. */
  readonly needsClientTitle: boolean;
}

function checkKey(k: unknown, what: string): void {
  if (!(k instanceof Uint8Array) || k.length !== 16) {
    throw new DlmsError('INVALID_ARGUMENT', `${what} must be 16 bytes (security suite 0)`);
  }
}

/** The standard's numeric access rights from the by-name form (absent = no-access). */
export function toAccessRights(o: CosemObject, r: ServerAccessRights | AccessRights): AccessRights {
  if ('attributeAccess' in r) return r;
  const attributeAccess: AccessRights['attributeAccess'] = [];
  for (let id = 1; id <= o.spec.attributeCount; id++) {
    const mode = r.attributes?.[id] ?? 'no-access';
    const sel = o.spec.attributeById[id]?.selective;
    attributeAccess.push({
      attributeId: id,
      accessMode: ATTRIBUTE_ACCESS[mode],
      accessSelectors: sel && mode !== 'no-access' ? [...sel] : undefined,
    });
  }
  const methodAccess: AccessRights['methodAccess'] = [];
  for (let id = 1; id <= o.spec.methodCount; id++) {
    methodAccess.push({ methodId: id, accessMode: METHOD_ACCESS[r.methods?.[id] ?? 'no-access'] });
  }
  return { attributeAccess, methodAccess };
}

/**
 * Checks one association's configuration and finds or creates its Association LN object in `objects`.
 * `INVALID_ARGUMENT` for a configuration that cannot work (missing keys or system title, bad PDU size).
 */
export function resolveAssociation(
  config: ServerAssociation,
  index: number,
  objects: CosemObjectSet,
  systemTitle: Uint8Array | undefined,
): ResolvedAssociation {
  if (typeof config !== 'object' || config === null) {
    throw new DlmsError('INVALID_ARGUMENT', `associations[${index}] must be an object`);
  }
  const sap = config.clientSap;
  if (!Number.isInteger(sap) || sap < 0 || sap > 0x7f) {
    throw new DlmsError('INVALID_ARGUMENT', `associations[${index}].clientSap must be 0..127`);
  }
  const auth = config.authentication;
  if (auth === undefined || !(auth.mechanism in MECHANISM_IDS)) {
    throw new DlmsError('INVALID_ARGUMENT', `associations[${index}].authentication.mechanism is unknown`);
  }
  const policy = config.securityPolicy ?? 'none';
  if (!['none', 'auth', 'enc', 'auth+enc'].includes(policy)) {
    throw new DlmsError('INVALID_ARGUMENT', `associations[${index}].securityPolicy is unknown`);
  }
  const ciphered = policy !== 'none';
  const needsKeys = ciphered || auth.mechanism === 'hls-gmac';
  if (needsKeys) {
    if (config.keys === undefined) {
      throw new DlmsError('INVALID_ARGUMENT', `associations[${index}] needs keys { ek, ak }`);
    }
    checkKey(config.keys.ek, `associations[${index}].keys.ek`);
    checkKey(config.keys.ak, `associations[${index}].keys.ak`);
    if (config.keys.bek !== undefined) checkKey(config.keys.bek, `associations[${index}].keys.bek`);
  }
  const needsClientTitle = needsKeys || auth.mechanism === 'hls-sha256';
  if (needsClientTitle && (!(systemTitle instanceof Uint8Array) || systemTitle.length !== 8)) {
    throw new DlmsError('INVALID_ARGUMENT', `associations[${index}] needs the server's 8-byte systemTitle`);
  }
  if (auth.mechanism === 'lls' && !(auth.password instanceof Uint8Array)) {
    throw new DlmsError('INVALID_ARGUMENT', `associations[${index}].authentication.password must be bytes`);
  }
  if ('secret' in auth && !(auth.secret instanceof Uint8Array)) {
    throw new DlmsError('INVALID_ARGUMENT', `associations[${index}].authentication.secret must be bytes`);
  }
  const maxReceivePduSize = config.maxReceivePduSize ?? 1024;
  if (!Number.isInteger(maxReceivePduSize) || maxReceivePduSize < 12 || maxReceivePduSize > 0xffff) {
    throw new DlmsError('INVALID_ARGUMENT', `associations[${index}].maxReceivePduSize must be 12..65535`);
  }
  const ln = config.logicalName
    ? parseObis(config.logicalName)
    : obis(0, 0, 40, 0, IS15959_INSTANCE[sap] ?? index + 1, 255);
  if (obisEquals(ln, CURRENT_ASSOCIATION_LN)) {
    throw new DlmsError('INVALID_ARGUMENT', '0.0.40.0.0.255 is the current association, not a name to give');
  }
  const rightsFn = config.rights;
  const visibleFn = config.visible;
  let object = objects.findByName(ln);
  if (object === undefined) {
    const created = new AssociationLnObject(ln, {
      clientSap: sap,
      contextId: ciphered ? 3 : 1,
      mechanismId: MECHANISM_IDS[auth.mechanism],
      // The secret in force (LLS password, HLS secret): SET of attribute 7 or change_HLS_secret replace it.
      ...(auth.mechanism === 'lls'
        ? { secret: auth.password.slice() }
        : 'secret' in auth
          ? { secret: auth.secret.slice() }
          : {}),
      ...(rightsFn
        ? {
            rights: (o: CosemObject) => {
              const r = rightsFn(o);
              return r === undefined ? undefined : toAccessRights(o, r);
            },
          }
        : {}),
      ...(visibleFn ? { visible: visibleFn } : {}),
    });
    objects.add(created);
    object = created;
  } else if (object.classId !== 15) {
    throw new DlmsError('INVALID_ARGUMENT', `${ln} is class ${object.classId}, not Association LN (15)`);
  }
  const policyObject: AccessPolicy =
    object instanceof AssociationLnObject
      ? object
      : {
          attributeAccess: (o, id) =>
            (Object.keys(ATTRIBUTE_ACCESS) as (keyof typeof ATTRIBUTE_ACCESS)[]).find(
              (m) =>
                ATTRIBUTE_ACCESS[m] ===
                defaultAccessRights(o).attributeAccess.find((a) => a.attributeId === id)?.accessMode,
            ) ?? 'no-access',
          methodAccess: (o, id) =>
            (Object.keys(METHOD_ACCESS) as (keyof typeof METHOD_ACCESS)[]).find(
              (m) =>
                METHOD_ACCESS[m] ===
                defaultAccessRights(o).methodAccess.find((a) => a.methodId === id)?.accessMode,
            ) ?? 'no-access',
        };
  return {
    config,
    clientSap: sap,
    logicalName: ln,
    object,
    policy: policyObject,
    visible: visibleFn ?? (() => true),
    security: ciphered ? (policy as SecurityPolicy) : undefined,
    keys: config.keys,
    keyId: `sap${sap}`,
    conformance: config.conformance,
    maxReceivePduSize,
    minClientPduSize: config.minClientPduSize ?? 12,
    contextName: ciphered ? 'ln-ciphered' : 'ln',
    hls: auth.mechanism !== 'none' && auth.mechanism !== 'lls',
    needsClientTitle,
  };
}

/** The bits both sides have, in the server's order. */
export function intersectConformance(server: Conformance, client: Conformance): ConformanceBit[] {
  const c = new Set(client);
  return server.filter((b) => c.has(b));
}
