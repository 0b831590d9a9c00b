/**
 * Interface class **SAP assignment** (class_id 17, version 0), IEC 62056-6-2 §4.4.5: which logical device
 * answers at which server SAP (0.0.41.0.0.255; the management logical device is SAP 1).
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static |
 * | 2 SAP_assignment_list | array of asslist_element | |
 *
 * ```text
 * asslist_element ::= structure { SAP long-unsigned, logical_device_name octet-string }
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 connect_logical_device | asslist_element | assigns the SAP to the logical device; SAP 0 disconnects it |
 *
 * **Server.** `connect_logical_device` first removes the device's current assignment, then (SAP ≠ 0)
 * adds the new one; a SAP already assigned to another device is refused (`other-reason`), as is a
 * logical device name longer than 16 octets (COSEM logical device names are at most 16).
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import { type Obis, obis } from '../obis/index.ts';
import { arrayOf, longUnsigned, octetString, struct } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass } from './object.ts';
import { actionError } from './results.ts';

export interface SapAssignmentElement {
  sap: number;
  logicalDeviceName: Uint8Array;
}

export interface SapAssignmentAttributes {
  sapAssignmentList: SapAssignmentElement[];
}

export interface SapAssignmentMethods {
  connectLogicalDevice: SapAssignmentElement;
}

export const sapAssignmentElement = /* @__PURE__ */ struct({
  sap: longUnsigned,
  logicalDeviceName: octetString,
});

export const SAP_ASSIGNMENT_CLASS = /* @__PURE__ */ defineClass<
  SapAssignmentAttributes,
  SapAssignmentMethods
>({
  classId: 17,
  version: 0,
  name: 'SAP assignment',
  attributes: {
    sapAssignmentList: {
      id: 2,
      name: 'SAP_assignment_list',
      codec: arrayOf(sapAssignmentElement),
      access: 'read-only',
    },
  },
  methods: {
    connectLogicalDevice: {
      id: 1,
      name: 'connect_logical_device',
      params: sapAssignmentElement,
      access: 'no-access',
    },
  },
});

/** The standard logical name, 0.0.41.0.0.255. */
export const SAP_ASSIGNMENT_LN: Obis = /* @__PURE__ */ obis(0, 0, 41, 0, 0, 255);

export class SapAssignmentObject extends CosemServerObject<SapAssignmentAttributes, SapAssignmentMethods> {
  constructor(logicalName: Obis | string = SAP_ASSIGNMENT_LN, list: SapAssignmentElement[] = []) {
    super(SAP_ASSIGNMENT_CLASS, logicalName, { sapAssignmentList: list });
  }

  /** The logical device name at a SAP, or undefined. */
  deviceAt(sap: number): Uint8Array | undefined {
    return this.values.sapAssignmentList.find((e) => e.sap === sap)?.logicalDeviceName;
  }

  protected override invoke(
    _key: 'connectLogicalDevice',
    p: SapAssignmentElement,
    _ctx: CosemContext,
  ): Data | undefined {
    if (p.logicalDeviceName.length > 16)
      throw actionError('other-reason', 'a logical device name has at most 16 octets');
    const list = this.values.sapAssignmentList;
    const other = list.find((e) => e.sap === p.sap && !sameBytes(e.logicalDeviceName, p.logicalDeviceName));
    if (p.sap !== 0 && other) throw actionError('other-reason', `SAP ${p.sap} is assigned to another device`);
    const kept = list.filter((e) => !sameBytes(e.logicalDeviceName, p.logicalDeviceName));
    if (p.sap !== 0) kept.push({ sap: p.sap, logicalDeviceName: p.logicalDeviceName.slice() });
    this.values.sapAssignmentList = kept;
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
