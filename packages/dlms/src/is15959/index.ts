/**
 * `@ami-interop/dlms/is15959`: the IS 15959 (Indian DLMS/COSEM companion standard) layer that needs no
 * live session — the catalogue of associations, profiles and objects per meter variant, typed rows from
 * profile buffers, event codes and episodes, the event status word, push reception, a simulated meter's
 * object set, and the conformance checker's rules.
 *
 * ```ts
 * import { is15959Catalogue, profileRows, decodePush } from '@ami-interop/dlms/is15959';
 * const cat = is15959Catalogue({ part: 2, phases: 1 });
 * const rows = profileRows({ captureObjects, buffer, scalerUnits: scalerProfileReading });
 * ```
 *
 * Functions that need meter data take what was read (Data values, capture objects), or a
 * {@link AttributeReader} (`get(ref) → Data`), which a `DlmsClient` satisfies, so they plug into any session.
 *
 * @module
 */
export * from './catalogue.ts';
export * from './checker.ts';
export * from './events.ts';
export * from './objects.ts';
export * from './push.ts';
export * from './reader.ts';
export * from './rows.ts';
export * from './scale.ts';
export * from './secrets.ts';
export * from './simulator.ts';
export * from './variant.ts';
