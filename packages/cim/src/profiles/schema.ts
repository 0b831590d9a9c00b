/**
 * Declarative descriptors of the IEC 61968-100 envelope and the IEC 61968-9 profiles.
 *
 * One descriptor per complex type, listing its child elements **in schema order**. The XML writer, the XML
 * reader, the JSON form and the typed validator are all driven by these descriptors, and the TypeScript
 * model types are inferred from them (`Infer<typeof X>`), so the model, the codecs and the validator
 * cannot drift apart.
 *
 * Model conventions (shared by the XML and the JSON form):
 * - property names are the schema's element names, unchanged (`Header.Noun`, `MeterReading.IntervalBlocks`);
 * - an element that may repeat is always an array (even with one item);
 * - `xs:string`, `xs:dateTime`, `xs:float`, `xs:QName` and enumerations are strings (dateTime and float keep their
 *   lexical form, so no precision or time-zone information is lost); `xs:boolean` is a boolean;
 *   `xs:integer` is a number (a safe integer);
 * - a reference element (`<ReadingType ref="…"/>`) is the referenced mRID as a string;
 * - an `ID` element (simple content with the `IDatts` attributes) is `{ value, idType?, idAuthority?, kind?, objectType? }`.
 *
 * @module
 */

/** Lexical kinds of leaf elements. */
export type LeafKind = 'string' | 'dateTime' | 'boolean' | 'integer' | 'float' | 'qname';

interface FieldBase {
  /** Element local name (the property name in the model). */
  readonly n: string;
  /** Mandatory (minOccurs ≥ 1). */
  readonly req?: true;
  /** May repeat (maxOccurs > 1): modelled as an array. */
  readonly many?: true;
  /** Upper bound when `many` and the schema gives a finite maxOccurs. */
  readonly max?: number;
  /**
   * A code format the validator checks: `readingType` (18 dot-separated integers, IEC 61968-9 Annex C),
   * `eventType` (EndDeviceEventType / EndDeviceControlType `type.domain.subDomain.eventOrAction`),
   * `qualityType` (ReadingQualityType `system.category.subCategory`).
   */
  readonly fmt?: CodeFormat;
}

export type CodeFormat = 'readingType' | 'eventType' | 'qualityType';

export interface LeafField extends FieldBase {
  readonly t: LeafKind;
  /** Allowed values (an `xs:enumeration`). */
  readonly enum?: readonly string[];
  /** Error code for a value outside `enum` (default `INVALID_VALUE`; `Header.Verb` uses `UNKNOWN_VERB`). */
  readonly enumCode?: 'UNKNOWN_VERB' | 'INVALID_VALUE';
}

/** An element whose only content is a `ref` attribute holding an mRID. */
export interface RefField extends FieldBase {
  readonly t: 'ref';
}

/** An `ID` element of IEC 61968-100: simple string content plus the `IDatts` attribute group. */
export interface IdField extends FieldBase {
  readonly t: 'id';
}

export interface ComplexField extends FieldBase {
  readonly t: 'complex';
  readonly type: ComplexType;
  /**
   * The namespace of this element's **children**, when a schema embeds a type from another namespace (the
   * element itself stays in its parent's namespace). The 2011 draft `MeterServiceRequests.xsd` embeds a
   * `msg:HeaderType`: `<m:Header><msg:Verb>…`. The writer declares `prefix` on the element (another prefix
   * if it clashes with the element's own); the reader matches the children by namespace URI.
   */
  readonly childNs?: { readonly uri: string; readonly prefix: string };
}

/**
 * An `xs:any namespace="##other"` slot holding profile elements (Payload content, the Get profile of a
 * Request, an Operation's object). Modelled as one property per profile root element name.
 */
export interface ProfileSlotField {
  readonly n: '*';
  readonly t: 'profiles';
  readonly slot: 'payload' | 'request';
}

export type ElementField = LeafField | RefField | IdField | ComplexField;
export type Field = ElementField | ProfileSlotField;

export interface ComplexType {
  /** Type name, for error messages and docs. */
  readonly name: string;
  readonly fields: readonly Field[];
  /**
   * Groups of element names of which at most one may be present (an `xs:choice minOccurs="0"`);
   * with `choiceRequired`, exactly one.
   */
  readonly choice?: readonly string[];
  readonly choiceRequired?: true;
}

/**
 * An element the descriptors do not know, kept as read (when the reader runs with
 * `unknownElements: 'keep'`): a vendor extension in an `xs:any` slot (Header, Reply, Request, a Payload
 * profile nobody registered), or an element a later edition or a vendor added inside a known type. It sits
 * in the parent's `$any` array (`$` cannot start an XML name, so it never clashes with an element) and the
 * writer puts it back at the end of the parent's content. Text is kept only for elements without children.
 */
export interface AnyElement {
  /** Namespace URI ('' for no namespace). */
  ns: string;
  local: string;
  attrs?: { ns: string; local: string; value: string }[];
  text?: string;
  children?: AnyElement[];
}

/** The property holding {@link AnyElement}s in a decoded object. */
export const ANY_KEY = '$any';

/** The attributes of an IEC 61968-100 `ID` element (`IDatts`), with its text as `value`. */
export interface Identifier {
  value: string;
  idType?: string;
  idAuthority?: string;
  /** `IDKindType`: name | uuid | transaction | other. */
  kind?: IdKind;
  objectType?: string;
}

/** `IDKindType` of the Ed.1 Message.xsd. */
export const ID_KINDS = ['name', 'uuid', 'transaction', 'other'] as const;
export type IdKind = (typeof ID_KINDS)[number];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type LeafValue<F> = F extends { t: 'boolean' }
  ? boolean
  : F extends { t: 'integer' }
    ? number
    : F extends { enum: readonly (infer E)[] }
      ? E
      : string;

type FieldValue<F> = F extends { t: 'complex'; type: infer T }
  ? T extends ComplexType
    ? Infer<T>
    : never
  : F extends { t: 'id' }
    ? Identifier
    : F extends { t: 'ref' }
      ? string
      : LeafValue<F>;

type Occurs<F> = F extends { many: true } ? FieldValue<F>[] : FieldValue<F>;

type Elements<T extends ComplexType> = Extract<T['fields'][number], ElementField>;

/** The model type of a descriptor: required fields required, optional ones optional, repeats as arrays. */
export type Infer<T extends ComplexType> = Simplify<
  {
    -readonly [F in Elements<T> as F extends { req: true } ? F['n'] : never]: Occurs<F>;
  } & {
    -readonly [F in Elements<T> as F extends { req: true } ? never : F['n']]?: Occurs<F>;
  }
>;

/**
 * A decoded object together with the elements the reader kept for it (`unknownElements: 'keep'`). The
 * inferred model types leave `$any` out so that exact-type users are not affected; read it with
 * {@link keptElements} or this type.
 */
export type WithKept<T> = T & { $any?: AnyElement[] };

/** The elements the reader kept (`unknownElements: 'keep'`) for one decoded object; [] when none. */
export function keptElements(value: object): readonly AnyElement[] {
  return (value as { $any?: AnyElement[] }).$any ?? [];
}

/** Helper that keeps the literal types of a descriptor (use with `as const`). */
export function complexType<const T extends ComplexType>(t: T): T {
  return t;
}
