/**
 * Invoke-Id-And-Priority and Long-Invoke-Id-And-Priority (IEC 62056-5-3 / Green Book, xDLMS ASN.1):
 *
 * ```asn1
 * Invoke-Id-And-Priority ::= Unsigned8
 * -- invoke-id        bits 0-3
 * -- reserved         bits 4-5
 * -- service-class    bit 6    0 = Unconfirmed, 1 = Confirmed
 * -- priority         bit 7    0 = Normal, 1 = High
 *
 * Long-Invoke-Id-And-Priority ::= Unsigned32
 * -- long-invoke-id     bits 0-23
 * -- reserved           bits 24-27
 * -- self-descriptive   bit 28   0 = Not-Self-Descriptive, 1 = Self-Descriptive
 * -- processing-option  bit 29   0 = Continue on Error, 1 = Break on Error
 * -- service-class      bit 30   0 = Unconfirmed, 1 = Confirmed
 * -- priority           bit 31   0 = Normal, 1 = High
 * ```
 *
 * Bit 0 is the least significant bit. So `C1` is invoke-id 1, confirmed, high priority; `81` is invoke-id
 * 1, unconfirmed, high priority (the service-class bit is only meaningful for SET and ACTION: GET is always
 * confirmed). Reserved bits are kept in `reserved` when they are not zero, so every octet round-trips.
 *
 * @module
 */
import { withPath } from '../errors.ts';
import type { Reader } from '../internal/reader.ts';
import type { Writer } from '../internal/writer.ts';
import { checkInt, invalid, show } from './common.ts';

export type ServiceClass = 'unconfirmed' | 'confirmed';
export type Priority = 'normal' | 'high';

/** Invoke-Id-And-Priority, one octet. */
export interface InvokeIdAndPriority {
  /** 0..15. */
  invokeId: number;
  serviceClass: ServiceClass;
  priority: Priority;
  /** Bits 4-5 as a number 1..3, only when not zero. */
  reserved?: number;
}

/** Long-Invoke-Id-And-Priority, four octets. */
export interface LongInvokeIdAndPriority {
  /** 0..0xFFFFFF. */
  longInvokeId: number;
  selfDescriptive: 'not-self-descriptive' | 'self-descriptive';
  processingOption: 'continue-on-error' | 'break-on-error';
  serviceClass: ServiceClass;
  priority: Priority;
  /** Bits 24-27 as a number 1..15, only when not zero. */
  reserved?: number;
}

/** Builds an Invoke-Id-And-Priority; by default confirmed and high priority (the octet `C0 | id`). */
export function invokeIdAndPriority(
  invokeId: number,
  options: { serviceClass?: ServiceClass; priority?: Priority } = {},
): InvokeIdAndPriority {
  return {
    invokeId: checkInt(invokeId, 0, 15, 'invokeId'),
    serviceClass: options.serviceClass ?? 'confirmed',
    priority: options.priority ?? 'high',
  };
}

/** The model of an Invoke-Id-And-Priority octet. */
export function invokeIdAndPriorityFromByte(b: number): InvokeIdAndPriority {
  const out: InvokeIdAndPriority = {
    invokeId: b & 0x0f,
    serviceClass: b & 0x40 ? 'confirmed' : 'unconfirmed',
    priority: b & 0x80 ? 'high' : 'normal',
  };
  const reserved = (b >> 4) & 0x03;
  if (reserved !== 0) out.reserved = reserved;
  return out;
}

/** The octet of an Invoke-Id-And-Priority. Throws `INVALID_ARGUMENT` for values out of range. */
export function invokeIdAndPriorityToByte(x: InvokeIdAndPriority): number {
  if (typeof x !== 'object' || x === null) invalid('invokeIdAndPriority must be an object');
  const id = checkInt(x.invokeId, 0, 15, 'invokeId');
  const reserved = x.reserved === undefined ? 0 : checkInt(x.reserved, 0, 3, 'reserved');
  return id | (reserved << 4) | (serviceClassBit(x.serviceClass) << 6) | (priorityBit(x.priority) << 7);
}

/** The model of a Long-Invoke-Id-And-Priority (an Unsigned32). */
export function longInvokeIdAndPriorityFromNumber(v: number): LongInvokeIdAndPriority {
  const out: LongInvokeIdAndPriority = {
    longInvokeId: v & 0xffffff,
    selfDescriptive: v & 0x10000000 ? 'self-descriptive' : 'not-self-descriptive',
    processingOption: v & 0x20000000 ? 'break-on-error' : 'continue-on-error',
    serviceClass: v & 0x40000000 ? 'confirmed' : 'unconfirmed',
    priority: v & 0x80000000 ? 'high' : 'normal',
  };
  const reserved = (v >>> 24) & 0x0f;
  if (reserved !== 0) out.reserved = reserved;
  return out;
}

/** The Unsigned32 of a Long-Invoke-Id-And-Priority. */
export function longInvokeIdAndPriorityToNumber(x: LongInvokeIdAndPriority): number {
  if (typeof x !== 'object' || x === null) invalid('longInvokeIdAndPriority must be an object');
  const id = checkInt(x.longInvokeId, 0, 0xffffff, 'longInvokeId');
  const reserved = x.reserved === undefined ? 0 : checkInt(x.reserved, 0, 15, 'reserved');
  let sd: number;
  if (x.selfDescriptive === 'self-descriptive') sd = 1;
  else if (x.selfDescriptive === 'not-self-descriptive') sd = 0;
  else invalid(`selfDescriptive must be 'self-descriptive' or 'not-self-descriptive'`, 'selfDescriptive');
  let po: number;
  if (x.processingOption === 'break-on-error') po = 1;
  else if (x.processingOption === 'continue-on-error') po = 0;
  else invalid(`processingOption must be 'break-on-error' or 'continue-on-error'`, 'processingOption');
  return (
    (priorityBit(x.priority) * 0x80000000 +
      serviceClassBit(x.serviceClass) * 0x40000000 +
      po * 0x20000000 +
      sd * 0x10000000 +
      reserved * 0x1000000 +
      id) >>>
    0
  );
}

function serviceClassBit(v: unknown): number {
  if (v === 'confirmed') return 1;
  if (v === 'unconfirmed') return 0;
  return invalid(`serviceClass must be 'confirmed' or 'unconfirmed', got ${show(v)}`, 'serviceClass');
}

function priorityBit(v: unknown): number {
  if (v === 'high') return 1;
  if (v === 'normal') return 0;
  return invalid(`priority must be 'high' or 'normal', got ${show(v)}`, 'priority');
}

export function readInvokeIdAndPriority(r: Reader): InvokeIdAndPriority {
  return invokeIdAndPriorityFromByte(r.u8('invoke-id-and-priority'));
}

export function writeInvokeIdAndPriority(w: Writer, x: InvokeIdAndPriority): void {
  w.u8(withPath('invokeIdAndPriority', () => invokeIdAndPriorityToByte(x)));
}

export function readLongInvokeIdAndPriority(r: Reader): LongInvokeIdAndPriority {
  return longInvokeIdAndPriorityFromNumber(r.u32('long-invoke-id-and-priority'));
}

export function writeLongInvokeIdAndPriority(w: Writer, x: LongInvokeIdAndPriority): void {
  w.u32(withPath('longInvokeIdAndPriority', () => longInvokeIdAndPriorityToNumber(x)));
}
