/**
 * `@ami-interop/dlms/is15959/operations`: IS 15959 operations on a live session (runtime-neutral, on
 * `DlmsClient`): remote disconnect/reconnect, load limit, RTC set, periods, MD reset, ESWF, billing dates,
 * activity calendar, secret and global key changes, firmware upgrade with resume; typed profile reads
 * with selective access; the simulator's firmware image format.
 *
 * @module
 */

export * from './firmware.ts';
export * from './image.ts';
export * from './operations.ts';
export * from './profiles.ts';
