/**
 * `@ami-interop/cim/mapping`: from IS 15959 (DLMS/COSEM) to IEC 61968-9.
 *
 * - {@link obisToReadingType}: OBIS + COSEM unit + scaler + period → ReadingType, with `exact` and `notes`.
 * - {@link CosemUnit} and {@link cosemUnitToCim}: the COSEM unit enumeration and its 61968-9 counterpart.
 * - {@link IS15959_EVENTS} and {@link is15959EventToCim}: IS 15959 event codes → EndDeviceEventType.
 * - {@link CONTROL_MAPPINGS} and {@link controlToIs15959}: EndDeviceControlType ↔ COSEM operations.
 *
 * Takes OBIS codes as strings or six numbers; does not depend on `@ami-interop/dlms`.
 *
 * @module
 */
export * from './controls.ts';
export * from './cosem-unit.ts';
export * from './is15959-events.ts';
export * from './obis.ts';
export * from './obis-to-reading-type.ts';
