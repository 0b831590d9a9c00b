/**
 * Types shared by the IEC 61968-9 profiles (2011 draft XSDs, CIM15 `IdentifiedObject.Names`, `Status`,
 * `DateTimeInterval`). Element order follows the 2011 draft profile XSDs in
 * `shared/reference/xsd/openwms-61968-9-draft-2011/xsd/` (alphabetical within a class, e.g.
 * `DateTimeInterval` = `end`, `start`).
 *
 * ```xml
 * <xs:complexType name="Name">          name, NameType?
 * <xs:complexType name="NameType">      description?, name, NameTypeAuthority?
 * <xs:complexType name="NameTypeAuthority"> description?, name
 * <xs:complexType name="Status">        dateTime?, reason?, remark?, value?
 * <xs:complexType name="DateTimeInterval"> end?, start?
 * ```
 *
 * @module
 */
import { complexType, type Infer } from './schema.ts';

export const NameTypeAuthorityType = complexType({
  name: 'NameTypeAuthority',
  fields: [
    { n: 'description', t: 'string' },
    { n: 'name', t: 'string', req: true },
  ],
} as const);

export const NameTypeType = complexType({
  name: 'NameType',
  fields: [
    { n: 'description', t: 'string' },
    { n: 'name', t: 'string', req: true },
    { n: 'NameTypeAuthority', t: 'complex', type: NameTypeAuthorityType },
  ],
} as const);

/** `IdentifiedObject.Names`: a name and, optionally, what kind of name it is (e.g. "SerialNumber"). */
export const NameType = complexType({
  name: 'Name',
  fields: [
    { n: 'name', t: 'string', req: true },
    { n: 'NameType', t: 'complex', type: NameTypeType },
  ],
} as const);
export type Name = Infer<typeof NameType>;

export const StatusType = complexType({
  name: 'Status',
  fields: [
    { n: 'dateTime', t: 'dateTime' },
    { n: 'reason', t: 'string' },
    { n: 'remark', t: 'string' },
    { n: 'value', t: 'string' },
  ],
} as const);
export type Status = Infer<typeof StatusType>;

export const DateTimeIntervalType = complexType({
  name: 'DateTimeInterval',
  fields: [
    { n: 'end', t: 'dateTime' },
    { n: 'start', t: 'dateTime' },
  ],
} as const);
export type DateTimeInterval = Infer<typeof DateTimeIntervalType>;

/** A reference to an identified object by mRID and/or names (Meter, UsagePoint, EndDevice, groups…). */
export const ObjectRefType = complexType({
  name: 'IdentifiedObject',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'Names', t: 'complex', type: NameType, many: true },
  ],
} as const);
export type ObjectRef = Infer<typeof ObjectRefType>;
