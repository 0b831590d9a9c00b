/**
 * Interface class **Association LN** (class_id 15, version 1), IEC 62056-6-2 §4.4.3: one per association
 * (IS 15959: 0.0.40.0.1.255 public, .2 meter reader, .3 utility settings, .4 push, .5 firmware).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 object_list | array of object_list_element | the objects this association sees, with access rights |
 * | 3 associated_partners_id | structure { client_SAP integer, server_SAP long-unsigned } | |
 * | 4 application_context_name | context_name_type (structure of 7 arcs, or a BER octet-string) | |
 * | 5 xDLMS_context_info | structure { conformance bit-string, max_receive_pdu_size long-unsigned, max_send_pdu_size long-unsigned, dlms_version_number unsigned, quality_of_service integer, cyphering_info octet-string } | |
 * | 6 authentication_mechanism_name | mechanism_name_type (as 4) | |
 * | 7 secret | octet-string | write-only in practice (LLS password or HLS secret) |
 * | 8 association_status | enum | 0 non-associated, 1 association-pending, 2 associated |
 * | 9 security_setup_reference | octet-string | logical name of the Security setup object |
 *
 * ```text
 * object_list_element ::= structure { class_id long-unsigned, version unsigned, logical_name octet-string,
 *                                     access_rights }
 * access_rights ::= structure { attribute_access array of attribute_access_item,
 *                               method_access array of method_access_item }
 * attribute_access_item ::= structure { attribute_id integer, access_mode enum,
 *                                       access_selectors CHOICE { null-data, array of integer } }
 * method_access_item ::= structure { method_id integer, access_mode enum }
 * context_name_type ::= structure { joint_iso_ctt_element unsigned, country_element unsigned,
 *   country_name_element long-unsigned, identified_organization_element unsigned,
 *   DLMS_UA_element unsigned, application_context_element unsigned, context_id_element unsigned }
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 reply_to_HLS_authentication | octet-string f(StoC) | returns octet-string f(CtoS) on success |
 * | 2 change_HLS_secret | octet-string | |
 * | 3 add_object | object_list_element | |
 * | 4 remove_object | object_list_element | |
 *
 * **Server.** The object is also the association's {@link AccessPolicy}: `rights(object)` gives explicit
 * access rights for an object (else the class defaults), `visible(object)` whether it is in object_list
 * (default: every object of the registry). HLS pass 3/4 is a pluggable callback, because the crypto lives
 * in `/security`: it receives the client's f(StoC) and returns the server's f(CtoS), or undefined when it
 * does not verify (then `other-reason` and the status stays pending). add_object and remove_object are
 * not implemented (object_list is generated from the registry).
 *
 * @module
 */
import type { BitString, Data } from '../axdr/types.ts';
import type { Obis } from '../obis/index.ts';
import {
  arrayOf,
  bitString,
  type Codec,
  enumeration,
  enumOf,
  integer,
  logicalName,
  longUnsigned,
  malformed,
  nullable,
  octetString,
  struct,
  unsigned,
} from './codec.ts';
import {
  type AccessPolicy,
  ATTRIBUTE_ACCESS,
  type AttributeAccessMode,
  type CosemContext,
  type CosemObject,
  CosemServerObject,
  defineClass,
  METHOD_ACCESS,
  type MethodAccessMode,
} from './object.ts';
import { actionError } from './results.ts';

export interface AttributeAccessItem {
  attributeId: number;
  accessMode: number;
  /** Selective access selectors allowed; undefined is null-data (none). */
  accessSelectors: number[] | undefined;
}

export interface MethodAccessItem {
  methodId: number;
  accessMode: number;
}

export interface AccessRights {
  attributeAccess: AttributeAccessItem[];
  methodAccess: MethodAccessItem[];
}

export interface ObjectListElement {
  classId: number;
  version: number;
  logicalName: Obis;
  accessRights: AccessRights;
}

export const accessRights: Codec<AccessRights> = /* @__PURE__ */ struct({
  attributeAccess: arrayOf(
    struct({ attributeId: integer, accessMode: enumeration, accessSelectors: nullable(arrayOf(integer)) }),
  ),
  methodAccess: arrayOf(struct({ methodId: integer, accessMode: enumeration })),
});

export const objectListElement: Codec<ObjectListElement> = /* @__PURE__ */ struct({
  classId: longUnsigned,
  version: unsigned,
  logicalName,
  accessRights,
});

/** context_name_type / mechanism_name_type: the 7-arc structure, or a BER-encoded OID as an octet-string. */
export type ContextName =
  | { form: 'structure'; arcs: [number, number, number, number, number, number, number] }
  | { form: 'octet-string'; value: Uint8Array };

const ARC_CODECS = [unsigned, unsigned, longUnsigned, unsigned, unsigned, unsigned, unsigned] as const;

export const contextName: Codec<ContextName> = {
  shape: 'structure of 7 OID arcs | octet-string',
  decode: (d) => {
    if (d?.type === 'octet-string') return { form: 'octet-string', value: d.value };
    if (d?.type !== 'structure' || d.value.length !== 7) {
      malformed(`expected a structure of 7 OID arcs or an octet-string, got ${d?.type}`);
    }
    return {
      form: 'structure',
      arcs: ARC_CODECS.map((c, i) => c.decode(d.value[i]!)) as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ],
    };
  },
  encode: (v) =>
    v.form === 'octet-string'
      ? octetString.encode(v.value)
      : { type: 'structure', value: ARC_CODECS.map((c, i) => c.encode(v.arcs[i]!)) },
};

/** The DLMS UA arcs 2.16.756.5.8.<kind>.<id>: application contexts (kind 1) and mechanisms (kind 2). */
export function dlmsContextName(kind: 1 | 2, id: number): ContextName {
  return { form: 'structure', arcs: [2, 16, 756, 5, 8, kind, id] };
}

export interface XdlmsContextInfo {
  conformance: BitString;
  maxReceivePduSize: number;
  maxSendPduSize: number;
  dlmsVersionNumber: number;
  qualityOfService: number;
  cypheringInfo: Uint8Array;
}

export const xdlmsContextInfo: Codec<XdlmsContextInfo> = /* @__PURE__ */ struct({
  conformance: bitString,
  maxReceivePduSize: longUnsigned,
  maxSendPduSize: longUnsigned,
  dlmsVersionNumber: unsigned,
  qualityOfService: integer,
  cypheringInfo: octetString,
});

export type AssociationStatus = 0 | 1 | 2;

export interface AssociationLnAttributes {
  objectList: ObjectListElement[];
  associatedPartnersId: { clientSap: number; serverSap: number };
  applicationContextName: ContextName;
  xdlmsContextInfo: XdlmsContextInfo;
  authenticationMechanismName: ContextName;
  secret: Uint8Array;
  associationStatus: AssociationStatus;
  securitySetupReference: Obis;
}

export interface AssociationLnMethods {
  replyToHlsAuthentication: Uint8Array;
  changeHlsSecret: Uint8Array;
  addObject: ObjectListElement;
  removeObject: ObjectListElement;
}

export const ASSOCIATION_LN_CLASS = /* @__PURE__ */ defineClass<
  AssociationLnAttributes,
  AssociationLnMethods
>({
  classId: 15,
  version: 1,
  name: 'Association LN',
  attributes: {
    objectList: { id: 2, name: 'object_list', codec: arrayOf(objectListElement), access: 'read-only' },
    associatedPartnersId: {
      id: 3,
      name: 'associated_partners_id',
      codec: struct({ clientSap: integer, serverSap: longUnsigned }),
      access: 'read-only',
    },
    applicationContextName: {
      id: 4,
      name: 'application_context_name',
      codec: contextName,
      access: 'read-only',
    },
    xdlmsContextInfo: { id: 5, name: 'xDLMS_context_info', codec: xdlmsContextInfo, access: 'read-only' },
    authenticationMechanismName: {
      id: 6,
      name: 'authentication_mechanism_name',
      codec: contextName,
      access: 'read-only',
    },
    secret: { id: 7, name: 'secret', codec: octetString, access: 'authenticated-write-only' },
    associationStatus: {
      id: 8,
      name: 'association_status',
      codec: enumOf([0, 1, 2], 'association_status'),
      access: 'read-only',
    },
    securitySetupReference: {
      id: 9,
      name: 'security_setup_reference',
      codec: logicalName,
      access: 'read-only',
    },
  },
  methods: {
    replyToHlsAuthentication: {
      id: 1,
      name: 'reply_to_HLS_authentication',
      params: octetString,
      access: 'access',
    },
    changeHlsSecret: {
      id: 2,
      name: 'change_HLS_secret',
      params: octetString,
      access: 'authenticated-access',
    },
    addObject: { id: 3, name: 'add_object', params: objectListElement, access: 'no-access' },
    removeObject: { id: 4, name: 'remove_object', params: objectListElement, access: 'no-access' },
  },
});

const ATTR_MODES = Object.keys(ATTRIBUTE_ACCESS) as AttributeAccessMode[];
const METHOD_MODES = Object.keys(METHOD_ACCESS) as MethodAccessMode[];

/** Access rights of an object with the class defaults (selectors from the class's selective attributes). */
export function defaultAccessRights(o: CosemObject): AccessRights {
  const attributeAccess: AttributeAccessItem[] = [];
  for (let id = 1; id <= o.spec.attributeCount; id++) {
    const a = o.spec.attributeById[id]!;
    attributeAccess.push({
      attributeId: id,
      accessMode: ATTRIBUTE_ACCESS[a.access],
      accessSelectors: a.selective ? [...a.selective] : undefined,
    });
  }
  const methodAccess: MethodAccessItem[] = [];
  for (let id = 1; id <= o.spec.methodCount; id++) {
    methodAccess.push({ methodId: id, accessMode: METHOD_ACCESS[o.spec.methodById[id]!.access] });
  }
  return { attributeAccess, methodAccess };
}

export interface AssociationLnOptions {
  clientSap: number;
  serverSap?: number;
  /** Application context id (1 LN, 3 LN with ciphering; default 1). */
  contextId?: number;
  /** Authentication mechanism id (0 none, 1 LLS, 2 HLS, 5 GMAC, …; default 0). */
  mechanismId?: number;
  secret?: Uint8Array;
  securitySetupReference?: Obis;
  xdlmsContextInfo?: XdlmsContextInfo;
  /** Explicit access rights for an object in this association; undefined = the class defaults. */
  rights?: (object: CosemObject) => AccessRights | undefined;
  /** Whether an object appears in object_list and can be reached (default: all). */
  visible?: (object: CosemObject) => boolean;
  /**
   * HLS pass 3/4: given the client's f(StoC), returns the server's f(CtoS), or undefined when the
   * client's response does not verify.
   */
  replyToHls?: (
    clientResponse: Uint8Array,
    association: AssociationLnObject,
    ctx: CosemContext,
  ) => Uint8Array | undefined;
}

export class AssociationLnObject
  extends CosemServerObject<AssociationLnAttributes, AssociationLnMethods>
  implements AccessPolicy
{
  readonly options: AssociationLnOptions;

  constructor(logicalName: Obis | string, options: AssociationLnOptions) {
    super(ASSOCIATION_LN_CLASS, logicalName, {
      objectList: [],
      associatedPartnersId: { clientSap: options.clientSap, serverSap: options.serverSap ?? 1 },
      applicationContextName: dlmsContextName(1, options.contextId ?? 1),
      xdlmsContextInfo: options.xdlmsContextInfo ?? {
        conformance: { length: 24, bytes: Uint8Array.of(0x00, 0x10, 0x1d) },
        maxReceivePduSize: 1024,
        maxSendPduSize: 1024,
        dlmsVersionNumber: 6,
        qualityOfService: 0,
        cypheringInfo: new Uint8Array(0),
      },
      authenticationMechanismName: dlmsContextName(2, options.mechanismId ?? 0),
      secret: options.secret ?? new Uint8Array(0),
      associationStatus: 0,
      securitySetupReference:
        options.securitySetupReference ?? ({ a: 0, b: 0, c: 0, d: 0, e: 0, f: 0 } as Obis),
    });
    this.options = options;
  }

  /** The rights of an object in this association: explicit, else the class defaults. */
  rightsFor(o: CosemObject): AccessRights {
    return this.options.rights?.(o) ?? defaultAccessRights(o);
  }

  attributeAccess(o: CosemObject, attributeId: number): AttributeAccessMode {
    if (this.options.visible && !this.options.visible(o)) return 'no-access';
    const item = this.rightsFor(o).attributeAccess.find((a) => a.attributeId === attributeId);
    return item
      ? (ATTR_MODES.find((m) => ATTRIBUTE_ACCESS[m] === item.accessMode) ?? 'no-access')
      : 'no-access';
  }

  methodAccess(o: CosemObject, methodId: number): MethodAccessMode {
    if (this.options.visible && !this.options.visible(o)) return 'no-access';
    const item = this.rightsFor(o).methodAccess.find((m) => m.methodId === methodId);
    return item
      ? (METHOD_MODES.find((m) => METHOD_ACCESS[m] === item.accessMode) ?? 'no-access')
      : 'no-access';
  }

  /** The object_list this association shows: every visible object of the registry, in registry order. */
  objectList(ctx: CosemContext): ObjectListElement[] {
    const out: ObjectListElement[] = [];
    if (!ctx.objects) return out;
    for (const o of ctx.objects) {
      if (this.options.visible && !this.options.visible(o)) continue;
      out.push({
        classId: o.classId,
        version: o.version,
        logicalName: o.logicalName,
        accessRights: this.rightsFor(o),
      });
    }
    return out;
  }

  protected override read<K extends keyof AssociationLnAttributes & string>(key: K, ctx: CosemContext): Data {
    if (key === 'objectList') this.values.objectList = this.objectList(ctx);
    return super.read(key, ctx);
  }

  protected override invoke<K extends keyof AssociationLnMethods & string>(
    key: K,
    params: AssociationLnMethods[K],
    ctx: CosemContext,
  ): Data | undefined {
    switch (key) {
      case 'replyToHlsAuthentication': {
        const reply = this.options.replyToHls?.(params as Uint8Array, this, ctx);
        if (reply === undefined) {
          throw actionError(
            'other-reason',
            'reply_to_HLS_authentication: the client response does not verify',
          );
        }
        this.values.associationStatus = 2;
        return { type: 'octet-string', value: reply };
      }
      case 'changeHlsSecret':
        this.values.secret = (params as Uint8Array).slice();
        return undefined;
    }
    return super.invoke(key, params, ctx);
  }
}
