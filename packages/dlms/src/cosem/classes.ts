/**
 * The interface classes implemented here, by class_id, for code that meets an object it knows only by
 * its class (an object_list entry, a capture object).
 *
 * @module
 */
import { ACTIVITY_CALENDAR_CLASS } from './activity-calendar.ts';
import { ASSOCIATION_LN_CLASS } from './association-ln.ts';
import { ASSOCIATION_SN_CLASS } from './association-sn.ts';
import { CLOCK_CLASS } from './clock.ts';
import { DATA_CLASS } from './data.ts';
import { DEMAND_REGISTER_CLASS } from './demand-register.ts';
import { DISCONNECT_CONTROL_CLASS } from './disconnect-control.ts';
import { EXTENDED_REGISTER_CLASS } from './extended-register.ts';
import { IEC_HDLC_SETUP_CLASS } from './iec-hdlc-setup.ts';
import { IMAGE_TRANSFER_CLASS } from './image-transfer.ts';
import { LIMITER_CLASS } from './limiter.ts';
import type { ClassSpec } from './object.ts';
import { PROFILE_GENERIC_CLASS } from './profile-generic.ts';
import { PUSH_SETUP_CLASS } from './push-setup.ts';
import { REGISTER_CLASS } from './register.ts';
import { REGISTER_ACTIVATION_CLASS } from './register-activation.ts';
import { REGISTER_MONITOR_CLASS } from './register-monitor.ts';
import { SAP_ASSIGNMENT_CLASS } from './sap-assignment.ts';
import { SCRIPT_TABLE_CLASS } from './script-table.ts';
import { SECURITY_SETUP_CLASS } from './security-setup.ts';
import { SINGLE_ACTION_SCHEDULE_CLASS } from './single-action-schedule.ts';
import { SPECIAL_DAYS_TABLE_CLASS } from './special-days-table.ts';
import { TCP_UDP_SETUP_CLASS } from './tcp-udp-setup.ts';

const ALL: readonly ClassSpec[] = [
  DATA_CLASS,
  REGISTER_CLASS,
  EXTENDED_REGISTER_CLASS,
  DEMAND_REGISTER_CLASS,
  CLOCK_CLASS,
  PROFILE_GENERIC_CLASS,
  ASSOCIATION_LN_CLASS,
  IMAGE_TRANSFER_CLASS,
  SECURITY_SETUP_CLASS,
  DISCONNECT_CONTROL_CLASS,
  SCRIPT_TABLE_CLASS,
  PUSH_SETUP_CLASS,
  LIMITER_CLASS,
  SPECIAL_DAYS_TABLE_CLASS,
  ACTIVITY_CALENDAR_CLASS,
  SINGLE_ACTION_SCHEDULE_CLASS,
  REGISTER_ACTIVATION_CLASS,
  REGISTER_MONITOR_CLASS,
  IEC_HDLC_SETUP_CLASS,
  TCP_UDP_SETUP_CLASS,
  SAP_ASSIGNMENT_CLASS,
  ASSOCIATION_SN_CLASS,
] as readonly ClassSpec[];

/** Every class spec implemented, by class_id. */
export const CLASS_SPECS: ReadonlyMap<number, ClassSpec> = /* @__PURE__ */ new Map(
  ALL.map((s) => [s.classId, s]),
);

/** The spec of a class_id, or undefined when this package does not implement it. */
export function classSpec(classId: number): ClassSpec | undefined {
  return CLASS_SPECS.get(classId);
}
