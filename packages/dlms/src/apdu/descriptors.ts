/**
 * COSEM attribute and method descriptors (IEC 62056-5-3 / Green Book, xDLMS ASN.1, LN referencing):
 *
 * ```asn1
 * Cosem-Class-Id              ::= Unsigned16
 * Cosem-Object-Instance-Id    ::= OCTET STRING (SIZE(6))   -- the logical name, an OBIS code
 * Cosem-Object-Attribute-Id   ::= Integer8
 * Cosem-Object-Method-Id      ::= Integer8
 *
 * Cosem-Attribute-Descriptor ::= SEQUENCE {
 *   class-id      Cosem-Class-Id,
 *   instance-id   Cosem-Object-Instance-Id,
 *   attribute-id  Cosem-Object-Attribute-Id
 * }
 *
 * Cosem-Method-Descriptor ::= SEQUENCE {
 *   class-id      Cosem-Class-Id,
 *   instance-id   Cosem-Object-Instance-Id,
 *   method-id     Cosem-Object-Method-Id
 * }
 *
 * Cosem-Attribute-Descriptor-With-Selection ::= SEQUENCE {
 *   cosem-attribute-descriptor  Cosem-Attribute-Descriptor,
 *   access-selection            Selective-Access-Descriptor OPTIONAL
 * }
 * ```
 *
 * A-XDR: 2 + 6 + 1 = 9 octets, the fixed-size OCTET STRING without a length; e.g. the clock's time
 * attribute is `0008 0000010000FF 02`. Attribute and method ids are Integer8 on the wire; negative ids are
 * kept (attribute 0 means "all attributes" where the server supports it).
 *
 * @module
 */
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { isObis, type Obis, readObis, writeObis } from '../obis/index.ts';
import { checkInt, invalid, readUsage } from './common.ts';
import {
  readSelectiveAccessDescriptor,
  type SelectiveAccessDescriptor,
  writeSelectiveAccessDescriptor,
} from './selective-access.ts';

/** A COSEM attribute reference. */
export interface CosemAttributeDescriptor {
  classId: number;
  /** The logical name. */
  instanceId: Obis;
  /** Integer8. */
  attributeId: number;
}

/** A COSEM method reference. */
export interface CosemMethodDescriptor {
  classId: number;
  instanceId: Obis;
  /** Integer8. */
  methodId: number;
}

/** An attribute reference with its optional selective access (GET/SET with-list items, first blocks). */
export interface CosemAttributeDescriptorWithSelection {
  attribute: CosemAttributeDescriptor;
  accessSelection?: SelectiveAccessDescriptor;
}

/** Size of a descriptor on the wire. */
export const DESCRIPTOR_SIZE = 9;

function checkObis(v: unknown, field: string): Obis {
  if (!isObis(v)) invalid(`${field} must be an OBIS code (use parseObis / obis)`, field);
  return v;
}

export function readCosemAttributeDescriptor(r: Reader): CosemAttributeDescriptor {
  r.need(DESCRIPTOR_SIZE, 'cosem-attribute-descriptor');
  const classId = r.u16();
  const instanceId = readObis(r);
  const attributeId = r.i8();
  return { classId, instanceId, attributeId };
}

export function writeCosemAttributeDescriptor(w: Writer, d: CosemAttributeDescriptor): void {
  if (typeof d !== 'object' || d === null) invalid('cosem-attribute-descriptor must be an object');
  w.u16(checkInt(d.classId, 0, 0xffff, 'classId'));
  writeObis(w, checkObis(d.instanceId, 'instanceId'));
  w.i8(checkInt(d.attributeId, -128, 127, 'attributeId'));
}

export function readCosemMethodDescriptor(r: Reader): CosemMethodDescriptor {
  r.need(DESCRIPTOR_SIZE, 'cosem-method-descriptor');
  const classId = r.u16();
  const instanceId = readObis(r);
  const methodId = r.i8();
  return { classId, instanceId, methodId };
}

export function writeCosemMethodDescriptor(w: Writer, d: CosemMethodDescriptor): void {
  if (typeof d !== 'object' || d === null) invalid('cosem-method-descriptor must be an object');
  w.u16(checkInt(d.classId, 0, 0xffff, 'classId'));
  writeObis(w, checkObis(d.instanceId, 'instanceId'));
  w.i8(checkInt(d.methodId, -128, 127, 'methodId'));
}

/** Reads an OPTIONAL Selective-Access-Descriptor (usage flag, then the descriptor). */
export function readOptionalAccessSelection(
  r: Reader,
  readData: (r: Reader) => import('../axdr/types.ts').Data,
): SelectiveAccessDescriptor | undefined {
  return withPath('accessSelection', () =>
    readUsage(r, 'access-selection') ? readSelectiveAccessDescriptor(r, readData) : undefined,
  );
}

export function writeOptionalAccessSelection(w: Writer, s: SelectiveAccessDescriptor | undefined): void {
  if (s === undefined) w.u8(0);
  else {
    w.u8(1);
    withPath('accessSelection', () => writeSelectiveAccessDescriptor(w, s));
  }
}

export function readAttributeWithSelection(
  r: Reader,
  readData: (r: Reader) => import('../axdr/types.ts').Data,
): CosemAttributeDescriptorWithSelection {
  const attribute = withPath('attribute', () => readCosemAttributeDescriptor(r));
  const accessSelection = readOptionalAccessSelection(r, readData);
  return accessSelection === undefined ? { attribute } : { attribute, accessSelection };
}

export function writeAttributeWithSelection(w: Writer, x: CosemAttributeDescriptorWithSelection): void {
  if (typeof x !== 'object' || x === null) invalid('list item must be an object');
  withPath('attribute', () => writeCosemAttributeDescriptor(w, x.attribute));
  writeOptionalAccessSelection(w, x.accessSelection);
}
