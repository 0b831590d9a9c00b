/**
 * `@ami-interop/dlms/cosem`: the COSEM interface classes (IEC 62056-6-2, DLMS UA 1000-1 Blue Book) — typed
 * attribute values for a client, in-memory server objects, and a registry a server routes to.
 *
 * ```ts
 * import { decodeData } from '@ami-interop/dlms/axdr';
 * import { REGISTER_CLASS, readAttribute, unitSymbol } from '@ami-interop/dlms/cosem';
 * const su = readAttribute(REGISTER_CLASS, 'scalerUnit', decodeData(fromHex('02020FFF161E')));
 * // { scaler: -1, unit: 30 }; unitSymbol(30) === 'Wh'
 * ```
 *
 * Classes: Data (1), Register (3), Extended register (4), Demand register (5), Register activation (6),
 * Profile generic (7), Clock (8), Script table (9), Special days table (11), Association SN (12),
 * Association LN (15), SAP assignment (17), Image transfer (18), Activity calendar (20), Register monitor
 * (21), Single action schedule (22), IEC HDLC setup (23), Push setup (40), TCP-UDP setup (41), Security
 * setup (64), Disconnect control (70), Limiter (71). Time-driven objects act on `tick(ctx)`; a server
 * calls {@link tickAll} periodically.
 *
 * @module
 */

export * from './activity-calendar.ts';
export * from './association-ln.ts';
export * from './association-sn.ts';
export * from './classes.ts';
export * from './clock.ts';
export * from './codec.ts';
export * from './common.ts';
export * from './data.ts';
export * from './demand-register.ts';
export * from './disconnect-control.ts';
export * from './extended-register.ts';
export * from './iec-hdlc-setup.ts';
export * from './image-transfer.ts';
export * from './json.ts';
export * from './limiter.ts';
export * from './object.ts';
export * from './object-set.ts';
export * from './profile-generic.ts';
export * from './push-setup.ts';
export * from './register.ts';
export * from './register-activation.ts';
export * from './register-monitor.ts';
export * from './results.ts';
export * from './runtime.ts';
export * from './sap-assignment.ts';
export * from './script-table.ts';
export * from './security-setup.ts';
export * from './single-action-schedule.ts';
export * from './special-days-table.ts';
export * from './tcp-udp-setup.ts';
export * from './time-codecs.ts';
export * from './units.ts';
