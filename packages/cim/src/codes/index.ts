/**
 * `@ami-interop/cim/codes`: the IEC 61968-9 code systems.
 *
 * - ReadingType (Annex C, 18 fields): {@link parseReadingType}, {@link formatReadingType},
 *   {@link describeReadingType}, and every field's enumeration as named constants (`UnitSymbol.Wh = 72`,
 *   `MetricMultiplier.k = 3`, `FlowDirection.forward = 1`, …) with value ↔ name tables.
 * - EndDeviceEventType / EndDeviceControlType (`type.domain.subDomain.eventOrAction`).
 * - ReadingQualityType (`system.category.subCategory`).
 *
 * Parsers are strict and canonical (so `format(parse(s)) === s`); unknown enumeration values are kept and
 * flagged by the `describe*` functions, never refused. Errors are `CimError` (`INVALID_VALUE` with the 0-based
 * field index in `path`).
 *
 * @module
 */
export { type CodeEntry, type CodeTable, camelWords, codeTable } from './code-table.ts';
export { MAX_CODE_LENGTH } from './dotted.ts';
export * from './end-device-event-type.ts';
export * from './reading-quality-type.ts';
export * from './reading-type.ts';
export * from './reading-type-enums.ts';
