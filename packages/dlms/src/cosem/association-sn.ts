/**
 * Interface class **Association SN** (class_id 12, version 2), IEC 62056-6-2 §4.4.2: the association
 * object of short-name (SN) referencing; the current association is at base_name 0xFA00
 * (logical name 0.0.40.0.0.255).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 object_list | objlist_type | the objects visible in this association, with their base_name |
 * | 3 access_rights_list | array of access_right | |
 * | 4 security_setup_reference | octet-string | logical name of the Security setup object |
 *
 * ```text
 * objlist_type ::= array of objlist_element
 * objlist_element ::= structure { base_name long, class_id long-unsigned, version unsigned,
 *                                 logical_name octet-string }
 * access_right ::= structure { base_name long, attribute_access array of attribute_access_item,
 *                              method_access array of method_access_item }   -- items as Association LN
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1, 2 | | reserved (version 0's methods) |
 * | 3 read_by_logicalname | array of structure { class_id long-unsigned, logical_name octet-string, attribute_index integer } | returns array of the attribute values |
 * | 4 get_attributes&services | array of long base_name | not implemented |
 * | 5 change_LLS_secret | octet-string | |
 * | 6 change_HLS_secret | octet-string | |
 * | 7 | | reserved |
 * | 8 reply_to_HLS_authentication | octet-string f(StoC) | returns octet-string f(CtoS) |
 *
 * The 16-bit base_name is typed `long` by the Blue Book; meters write short names such as 0xFA00, so the
 * typed value here is the unsigned 16-bit short name (0xFA00 = 64000), encoded as `long` (its
 * two's-complement form); a `long-unsigned` sent by a meter is accepted too.
 *
 * **Server.** `baseNameOf(object)` (an option) assigns short names; objects without one are not in the
 * object_list. In SN referencing attribute n of an object is at `base_name + 8 × (n − 1)`
 * ({@link snAttributeAddress}); {@link AssociationSnObject.resolveShortName} finds the object and
 * attribute of a variable name. `read_by_logicalname` reads through `ctx.objects` as the meter would
 * answer a GET (a refusal gives `null-data` for that entry). HLS pass 3/4 is a callback as in Association LN.
 * The access_rights_list layout is this implementation's reading of the version 2 definition; check it
 * against a meter before relying on it.
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import { DlmsError } from '../errors.ts';
import { type Obis, obis } from '../obis/index.ts';
import { type AccessRights, accessRights } from './association-ln.ts';
import {
  anyData,
  arrayOf,
  type Codec,
  logicalName,
  longUnsigned,
  malformed,
  octetString,
  struct,
  unsigned,
} from './codec.ts';
import { type ValueDefinition, valueDefinition } from './common.ts';
import { type CosemContext, type CosemObject, CosemServerObject, defineClass } from './object.ts';
import { actionError, CosemServiceError } from './results.ts';

/** A 16-bit short name (base_name): `long` on the wire, unsigned 0..0xFFFF here (see the module doc). */
export const shortName: Codec<number> = {
  shape: 'long (16-bit short name)',
  decode: (d) => {
    if (d?.type === 'long') return d.value & 0xffff;
    if (d?.type === 'long-unsigned') return d.value;
    return malformed(`expected a long (short name), got ${d?.type ?? String(d)}`);
  },
  encode: (v) => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
      throw new DlmsError('INVALID_ARGUMENT', `a short name is an integer 0..0xFFFF, got ${v}`);
    }
    return { type: 'long', value: v >= 0x8000 ? v - 0x10000 : v };
  },
};

export interface ObjectListElementSn {
  baseName: number;
  classId: number;
  version: number;
  logicalName: Obis;
}

export interface AccessRightSn extends AccessRights {
  baseName: number;
}

export interface AssociationSnAttributes {
  objectList: ObjectListElementSn[];
  accessRightsList: AccessRightSn[];
  securitySetupReference: Obis;
}

export interface AssociationSnMethods {
  /** Methods 1, 2 and 7 are reserved (version 0's); they are listed so indexes stay dense, and refused. */
  reserved1: Data;
  reserved2: Data;
  readByLogicalname: ValueDefinition[];
  getAttributesAndServices: number[];
  changeLlsSecret: Uint8Array;
  changeHlsSecret: Uint8Array;
  reserved7: Data;
  replyToHlsAuthentication: Uint8Array;
}

export const objectListElementSn: Codec<ObjectListElementSn> = /* @__PURE__ */ struct({
  baseName: shortName,
  classId: longUnsigned,
  version: unsigned,
  logicalName,
});

export const accessRightSn: Codec<AccessRightSn> = {
  shape: 'structure { base_name long, attribute_access array, method_access array }',
  decode: (d) => {
    if (d?.type !== 'structure' || d.value.length !== 3)
      malformed(
        `expected a structure of 3 elements (base_name, attribute_access, method_access), got ${d?.type}`,
      );
    const baseName = shortName.decode(d.value[0]!);
    const r = accessRights.decode({ type: 'structure', value: d.value.slice(1) });
    return { baseName, ...r };
  },
  encode: (v) => {
    const r = accessRights.encode(v) as { value: Data[] };
    return { type: 'structure', value: [shortName.encode(v.baseName), ...r.value] };
  },
};

export const ASSOCIATION_SN_CLASS = /* @__PURE__ */ defineClass<
  AssociationSnAttributes,
  AssociationSnMethods
>({
  classId: 12,
  version: 2,
  name: 'Association SN',
  attributes: {
    objectList: { id: 2, name: 'object_list', codec: arrayOf(objectListElementSn), access: 'read-only' },
    accessRightsList: {
      id: 3,
      name: 'access_rights_list',
      codec: arrayOf(accessRightSn),
      access: 'read-only',
    },
    securitySetupReference: {
      id: 4,
      name: 'security_setup_reference',
      codec: logicalName,
      access: 'read-only',
    },
  },
  methods: {
    reserved1: { id: 1, name: 'reserved', params: anyData, access: 'no-access' },
    reserved2: { id: 2, name: 'reserved', params: anyData, access: 'no-access' },
    readByLogicalname: {
      id: 3,
      name: 'read_by_logicalname',
      params: arrayOf(valueDefinition),
      access: 'access',
    },
    getAttributesAndServices: {
      id: 4,
      name: 'get_attributes&services',
      params: arrayOf(shortName),
      access: 'no-access',
    },
    changeLlsSecret: {
      id: 5,
      name: 'change_LLS_secret',
      params: octetString,
      access: 'authenticated-access',
    },
    changeHlsSecret: {
      id: 6,
      name: 'change_HLS_secret',
      params: octetString,
      access: 'authenticated-access',
    },
    reserved7: { id: 7, name: 'reserved', params: anyData, access: 'no-access' },
    replyToHlsAuthentication: {
      id: 8,
      name: 'reply_to_HLS_authentication',
      params: octetString,
      access: 'access',
    },
  },
});

/** The base_name of the current association object in SN referencing. */
export const CURRENT_ASSOCIATION_SN = 0xfa00;

/** The variable name of attribute `attributeId` of the object at `baseName` (SN referencing). */
export function snAttributeAddress(baseName: number, attributeId: number): number {
  return (baseName + 8 * (attributeId - 1)) & 0xffff;
}

export interface AssociationSnOptions {
  /** The short name of an object in this association; undefined leaves it out of object_list. */
  baseNameOf: (object: CosemObject) => number | undefined;
  secret?: Uint8Array;
  hlsSecret?: Uint8Array;
  securitySetupReference?: Obis;
  /** HLS pass 3/4: the server's f(CtoS) for the client's f(StoC), or undefined when it does not verify. */
  replyToHls?: (
    clientResponse: Uint8Array,
    association: AssociationSnObject,
    ctx: CosemContext,
  ) => Uint8Array | undefined;
}

export class AssociationSnObject extends CosemServerObject<AssociationSnAttributes, AssociationSnMethods> {
  readonly options: AssociationSnOptions;
  llsSecret: Uint8Array;
  hlsSecret: Uint8Array;
  /** True once reply_to_HLS_authentication verified the client. */
  authenticated = false;

  constructor(logicalName: Obis | string, options: AssociationSnOptions) {
    super(ASSOCIATION_SN_CLASS, logicalName, {
      objectList: [],
      accessRightsList: [],
      securitySetupReference: options.securitySetupReference ?? obis(0, 0, 0, 0, 0, 0),
    });
    this.options = options;
    this.llsSecret = options.secret ?? new Uint8Array(0);
    this.hlsSecret = options.hlsSecret ?? new Uint8Array(0);
  }

  /** The object_list: every registry object with a base name, in registry order. */
  objectList(ctx: CosemContext): ObjectListElementSn[] {
    const out: ObjectListElementSn[] = [];
    for (const o of ctx.objects ?? []) {
      const baseName = this.options.baseNameOf(o);
      if (baseName === undefined) continue;
      out.push({ baseName, classId: o.classId, version: o.version, logicalName: o.logicalName });
    }
    return out;
  }

  /** The object and attribute a variable name addresses, or undefined. */
  resolveShortName(sn: number, ctx: CosemContext): { object: CosemObject; attributeId: number } | undefined {
    for (const o of ctx.objects ?? []) {
      const b = this.options.baseNameOf(o);
      if (b === undefined) continue;
      const off = (sn - b) & 0xffff;
      if (off % 8 === 0 && off / 8 < o.attributeCount) return { object: o, attributeId: off / 8 + 1 };
    }
    return undefined;
  }

  protected override read<K extends keyof AssociationSnAttributes & string>(key: K, ctx: CosemContext): Data {
    if (key === 'objectList') this.values.objectList = this.objectList(ctx);
    return super.read(key, ctx);
  }

  protected override invoke<K extends keyof AssociationSnMethods & string>(
    key: K,
    params: AssociationSnMethods[K],
    ctx: CosemContext,
  ): Data | undefined {
    switch (key) {
      case 'readByLogicalname': {
        const value = (params as ValueDefinition[]).map((d): Data => {
          const o = ctx.objects?.find(d.classId, d.logicalName);
          if (!o) return { type: 'null-data' };
          try {
            return o.get(d.attributeIndex, ctx);
          } catch (e) {
            if (e instanceof CosemServiceError) return { type: 'null-data' };
            throw e;
          }
        });
        return { type: 'array', value };
      }
      case 'changeLlsSecret':
        this.llsSecret = (params as Uint8Array).slice();
        return undefined;
      case 'changeHlsSecret':
        this.hlsSecret = (params as Uint8Array).slice();
        return undefined;
      case 'replyToHlsAuthentication': {
        const reply = this.options.replyToHls?.(params as Uint8Array, this, ctx);
        if (reply === undefined)
          throw actionError(
            'other-reason',
            'reply_to_HLS_authentication: the client response does not verify',
          );
        this.authenticated = true;
        return { type: 'octet-string', value: reply };
      }
    }
    return super.invoke(key, params, ctx);
  }
}
