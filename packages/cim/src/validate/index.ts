/**
 * A typed validator for messages built in code (no XSD at run time). It walks the same descriptors as the
 * codecs and reports **every** violation with its path, instead of stopping at the first:
 *
 * - mandatory elements present, repeated elements as arrays within their bounds, types (string / boolean /
 *   safe integer), enumerations, `choice` groups;
 * - lexical formats: `xs:dateTime` (with calendar checks), `xs:float`;
 * - code formats: a ReadingType mRID has 18 dot-separated integer fields (IEC 61968-9 Annex C order
 *   `macroPeriod.aggregate.measuringPeriod.accumulation.flowDirection.commodity.measurementKind.
 *   interharmonicNumerator.interharmonicDenominator.argumentNumerator.argumentDenominator.tou.cpp.
 *   consumptionTier.phases.multiplier.unit.currency`), EndDeviceEventType/EndDeviceControlType codes have 4
 *   (`type.domain.subDomain.eventOrAction`), ReadingQualityType codes 3 (`system.category.subCategory`);
 * - envelope rules: the verb fits the message kind (ResponseMessage → `reply`; EventMessage → a past-tense
 *   verb), the Payload's profile matches `Header.Noun`, a Payload holds one of profile elements /
 *   OperationSet / Compressed / ID (the schema's choice).
 *
 * Which codes are *known* values is the business of `@ami-interop/cim/codes`; here only the shape is checked.
 *
 * @module
 */
import { MESSAGE_KINDS, MESSAGE_TYPES, type Message } from '../envelope/index.ts';
import type { CimErrorCode } from '../errors.ts';
import { formatPath } from '../errors.ts';
import { PROFILES } from '../profiles/index.ts';
import type { CodeFormat, ComplexType, ElementField } from '../profiles/schema.ts';
import { ID_KINDS } from '../profiles/schema.ts';

export interface Violation {
  /** Dotted path, e.g. `Payload.MeterReadings.MeterReading[0].Readings[2].ReadingType`. */
  path: string;
  code: CimErrorCode;
  message: string;
}

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/;
const FLOAT = /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$/;
const INT_FIELD = /^-?\d+$/;
// xs:QName: an NCName, optionally prefixed (ASCII subset of NameStartChar/NameChar plus the non-ASCII ranges, loosely).
const QNAME =
  /^(?:[A-Za-z_\u00C0-\uFFFD][\w.\-\u00B7-\uFFFD]*:)?[A-Za-z_\u00C0-\uFFFD][\w.\-\u00B7-\uFFFD]*$/;

/** True when `s` is an `xs:dateTime` lexical value (calendar-checked, time zone optional, 24:00:00 allowed). */
export function isXsdDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = Number(m[6]);
  if (year === 0 || month < 1 || month > 12) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > days) return false;
  if (h === 24) {
    if (mi !== 0 || sec !== 0 || (m[7] && !/^\.0+$/.test(m[7]))) return false;
  } else if (h > 23 || mi > 59 || sec > 59) return false;
  if (m[9] !== undefined) {
    const th = Number(m[9]);
    const tm = Number(m[10]);
    if (tm > 59 || th > 14 || (th === 14 && tm !== 0)) return false;
  }
  return true;
}

/** True when `s` is an `xs:float` lexical value. */
export function isXsdFloat(s: string): boolean {
  return FLOAT.test(s);
}

/** Checks a dotted code's shape; returns a reason or undefined. */
export function checkCode(fmt: CodeFormat, s: string): string | undefined {
  const parts = s.split('.');
  const want = fmt === 'readingType' ? 18 : fmt === 'eventType' ? 4 : 3;
  const what =
    fmt === 'readingType'
      ? 'a ReadingType mRID'
      : fmt === 'eventType'
        ? 'an EndDevice event/control type'
        : 'a ReadingQualityType';
  if (parts.length !== want) return `${what} has ${want} dot-separated fields, found ${parts.length}`;
  for (let i = 0; i < parts.length; i++) {
    // Only the multiplier (field 16 of a ReadingType) may be negative.
    const p = parts[i]!;
    if (!INT_FIELD.test(p) || (p.startsWith('-') && !(fmt === 'readingType' && i === 15))) {
      return `${what}: field ${i + 1} ("${p.slice(0, 12)}") is not ${fmt === 'readingType' && i === 15 ? 'an integer' : 'a non-negative integer'}`;
    }
  }
  return undefined;
}

class Collector {
  readonly out: Violation[] = [];
  add(path: (string | number)[], code: CimErrorCode, message: string): void {
    this.out.push({ path: formatPath(path), code, message });
  }
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkLeaf(c: Collector, f: ElementField, v: unknown, path: (string | number)[]): void {
  switch (f.t) {
    case 'complex':
      checkComplex(c, f.type, v, path);
      return;
    case 'id': {
      if (!isObj(v) || typeof v.value !== 'string') {
        c.add(path, 'INVALID_VALUE', 'an ID is { value: string, idType?, idAuthority?, kind?, objectType? }');
        return;
      }
      for (const k of ['idType', 'idAuthority', 'objectType', 'kind']) {
        if (v[k] !== undefined && typeof v[k] !== 'string')
          c.add([...path, k], 'INVALID_VALUE', `${k} must be a string`);
      }
      if (typeof v.kind === 'string' && !(ID_KINDS as readonly string[]).includes(v.kind)) {
        c.add([...path, 'kind'], 'INVALID_VALUE', `"${v.kind}" is not one of ${ID_KINDS.join(', ')}`);
      }
      return;
    }
    case 'boolean':
      if (typeof v !== 'boolean') c.add(path, 'INVALID_VALUE', `expected a boolean, got ${typeof v}`);
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isSafeInteger(v))
        c.add(path, 'INVALID_VALUE', 'expected a safe integer');
      return;
  }
  if (typeof v !== 'string') {
    c.add(path, 'INVALID_VALUE', `expected a string, got ${typeof v}`);
    return;
  }
  if (f.t === 'dateTime' && !isXsdDateTime(v))
    c.add(path, 'INVALID_VALUE', `"${v.slice(0, 40)}" is not an xs:dateTime`);
  if (f.t === 'qname' && !QNAME.test(v))
    c.add(path, 'INVALID_VALUE', `"${v.slice(0, 40)}" is not an xs:QName`);
  if (f.t === 'float' && !isXsdFloat(v))
    c.add(path, 'INVALID_VALUE', `"${v.slice(0, 40)}" is not an xs:float`);
  if (f.t === 'string' && f.enum && !f.enum.includes(v)) {
    c.add(path, f.enumCode ?? 'INVALID_VALUE', `"${v.slice(0, 40)}" is not one of ${f.enum.join(', ')}`);
  }
  if (f.fmt) {
    const reason = checkCode(f.fmt, v);
    if (reason) c.add(path, 'INVALID_VALUE', reason);
  }
}

function checkComplex(c: Collector, type: ComplexType, v: unknown, path: (string | number)[]): void {
  if (!isObj(v)) {
    c.add(path, 'INVALID_VALUE', `${type.name} must be an object`);
    return;
  }
  for (const f of type.fields) {
    if (f.t === 'profiles') {
      for (const p of PROFILES) {
        if (p.slot === f.slot && v[p.element] !== undefined)
          checkComplex(c, p.type, v[p.element], [...path, p.element]);
      }
      continue;
    }
    const value = v[f.n];
    const here = [...path, f.n];
    if (value === undefined) {
      if (f.req) c.add(here, 'MISSING_FIELD', `${type.name}.${f.n} is mandatory`);
      continue;
    }
    if (f.many) {
      if (!Array.isArray(value)) {
        c.add(here, 'INVALID_VALUE', `${f.n} must be an array`);
        continue;
      }
      if (f.req && value.length === 0)
        c.add(here, 'MISSING_FIELD', `${type.name}.${f.n} needs at least one item`);
      if (f.max !== undefined && value.length > f.max) {
        c.add(
          here,
          'INVALID_VALUE',
          `${f.n} occurs at most ${f.max} time(s) in the 2011 draft schema, found ${value.length}`,
        );
      }
      for (let i = 0; i < value.length; i++) checkLeaf(c, f, value[i], [...here, i]);
    } else checkLeaf(c, f, value, here);
  }
  if (type.choice) {
    const present = type.choice.filter((n) => v[n] !== undefined);
    if (present.length > 1)
      c.add(path, 'INVALID_VALUE', `only one of ${type.choice.join(', ')} may be present`);
    if (type.choiceRequired && present.length === 0)
      c.add(path, 'MISSING_FIELD', `one of ${type.choice.join(', ')} is required`);
  }
}

const PAST_TENSE = new Set(['created', 'changed', 'canceled', 'closed', 'deleted', 'executed']);
const REQUEST_VERBS = new Set(['create', 'change', 'cancel', 'close', 'delete', 'execute', 'get']);

/** Every violation in `message`; an empty array means valid. */
export function validateMessage(message: Message): Violation[] {
  const c = new Collector();
  if (!isObj(message) || !MESSAGE_KINDS.includes((message as Message).kind)) {
    c.add([], 'INVALID_VALUE', 'kind must be RequestMessage, ResponseMessage, EventMessage or FaultMessage');
    return c.out;
  }
  const type = (MESSAGE_TYPES as Record<string, ComplexType>)[message.kind]!;
  checkComplex(c, type, message, []);
  if (message.kind !== 'FaultMessage' && isObj(message.Header)) {
    const verb = message.Header.Verb;
    if (message.kind === 'ResponseMessage' && verb !== 'reply') {
      c.add(['Header', 'Verb'], 'INVALID_VALUE', `a ResponseMessage has verb "reply", not "${String(verb)}"`);
    }
    if (message.kind === 'EventMessage' && typeof verb === 'string' && !PAST_TENSE.has(verb)) {
      c.add(
        ['Header', 'Verb'],
        'INVALID_VALUE',
        `an EventMessage has a past-tense verb (created, changed, …), not "${verb}"`,
      );
    }
    if (message.kind === 'RequestMessage' && typeof verb === 'string' && !REQUEST_VERBS.has(verb)) {
      c.add(
        ['Header', 'Verb'],
        'INVALID_VALUE',
        `a RequestMessage has a request verb (create, get, …), not "${verb}"`,
      );
    }
    const noun = message.Header.Noun;
    const payload = (message as { Payload?: Record<string, unknown> }).Payload;
    if (isObj(payload)) {
      const profiles = PROFILES.filter((p) => p.slot === 'payload' && payload[p.element] !== undefined);
      for (const p of profiles) {
        if (p.noun !== noun)
          c.add(
            ['Payload', p.element],
            'INVALID_VALUE',
            `Payload holds ${p.element} but Header.Noun is "${String(noun)}"`,
          );
      }
      const kinds = [
        profiles.length > 0,
        payload.OperationSet !== undefined,
        payload.Compressed !== undefined,
        payload.ID !== undefined,
      ];
      if (kinds.filter(Boolean).length > 1) {
        c.add(
          ['Payload'],
          'INVALID_VALUE',
          'a Payload holds one of: profile elements, OperationSet, Compressed, ID',
        );
      }
    }
    if (message.kind === 'RequestMessage' && isObj(message.Request)) {
      for (const p of PROFILES) {
        if (
          p.slot === 'request' &&
          message.Request[p.element as keyof typeof message.Request] !== undefined &&
          p.noun !== noun
        ) {
          c.add(
            ['Request', p.element],
            'INVALID_VALUE',
            `Request holds ${p.element} but Header.Noun is "${String(noun)}"`,
          );
        }
      }
    }
  }
  return c.out;
}

/** Validates a bare profile value (e.g. a MeterReadings built in code) against its descriptor. */
export function validateProfile(element: string, value: unknown): Violation[] {
  const c = new Collector();
  const p = PROFILES.find((d) => d.element === element);
  if (!p) c.add([], 'UNKNOWN_NOUN', `unknown profile ${element}`);
  else checkComplex(c, p.type, value, [element]);
  return c.out;
}
