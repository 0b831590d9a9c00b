/**
 * IEC 61968-9 EndDeviceControlType codes for connect / disconnect / load limit / demand reset, and the IS 15959
 * (DLMS/COSEM) operation that carries each out — as data for the HES ↔ MDMS bridge.
 *
 * Control codes: the reference §5.3 (Connexo's EndDeviceControlTypeMapping, which writes device type 0; its
 * service-call handler uses 3 = ElectricMeter for the switch). Both forms are listed where they occur.
 *
 * COSEM side (IS 15959 Part 2 objects, `is15959.md`):
 * - Disconnect control, class 70, `0.0.96.3.10.255`: method 1 `remote_disconnect`, method 2 `remote_reconnect`
 *   (both take `data ::= integer (0)`); attribute 2 `output_state` (boolean), 3 `control_state`
 *   (0 disconnected, 1 connected, 2 ready_for_reconnection), 4 `control_mode`.
 * - Limiter, class 71, `0.0.17.0.0.255` (monitors 1.0.1.7.0.255 attribute 2): attribute 3 `threshold_active`,
 *   4 `threshold_normal`, 5 `threshold_emergency`, 6 `min_over_threshold_duration`, 7
 *   `min_under_threshold_duration`.
 * - MD reset: script table, class 9, `0.0.10.0.1.255`, method 1 `execute(script_selector)`.
 *
 * @module
 */
import { CimError } from '../errors.ts';

/** A COSEM operation: a method invocation or an attribute write on one object. */
export interface CosemOperation {
  readonly kind: 'action' | 'set';
  readonly classId: number;
  /** Logical name, dotted six-group form. */
  readonly obis: string;
  /** Method index (for `action`) or attribute index (for `set`). */
  readonly index: number;
  /** The IS 15959 / Blue Book name of the method or attribute. */
  readonly name: string;
}

/** One 61968-9 control and the IS 15959 operation for it. */
export interface ControlMapping {
  /** The EndDeviceControlType mRID. */
  readonly cim: string;
  /** Other mRIDs seen for the same control (e.g. device type 0 vs 3). */
  readonly aliases: readonly string[];
  /** A short name for the control. */
  readonly name: string;
  /** The COSEM operation, or null when IS 15959 has no single operation for it (see `notes`). */
  readonly cosem: CosemOperation | null;
  readonly notes?: string;
}

const DISCONNECT_CONTROL = '0.0.96.3.10.255';
const LIMITER = '0.0.17.0.0.255';

/** The controls the reference lists, with their IS 15959 operations. */
export const CONTROL_MAPPINGS: readonly ControlMapping[] = /* @__PURE__ */ Object.freeze([
  {
    cim: '3.31.0.23',
    aliases: ['0.31.0.23'],
    name: 'disconnect (open the load switch)',
    cosem: { kind: 'action', classId: 70, obis: DISCONNECT_CONTROL, index: 1, name: 'remote_disconnect' },
  },
  {
    cim: '3.31.0.18',
    aliases: ['0.31.0.18'],
    name: 'connect (close the load switch)',
    cosem: { kind: 'action', classId: 70, obis: DISCONNECT_CONTROL, index: 2, name: 'remote_reconnect' },
    notes:
      'In control modes where remote_reconnect only arms the switch (ready_for_reconnection), the consumer closes it locally.',
  },
  {
    cim: '0.31.0.5',
    aliases: ['3.31.0.5'],
    name: 'arm the switch for closure',
    cosem: null,
    notes:
      'No dedicated IS 15959 method: in control modes with a ready_for_reconnection state, remote_reconnect arms the switch.',
  },
  {
    cim: '0.31.0.6',
    aliases: ['3.31.0.6'],
    name: 'arm the switch for open',
    cosem: null,
    notes: 'No IS 15959 counterpart.',
  },
  {
    cim: '0.8.0.214',
    aliases: ['3.8.0.214'],
    name: 'demand (MD) reset',
    cosem: { kind: 'action', classId: 9, obis: '0.0.10.0.1.255', index: 1, name: 'execute' },
    notes: 'The script selector is meter-specific (commonly 1).',
  },
  {
    cim: '0.15.0.54',
    aliases: ['3.15.0.54'],
    name: 'load control: start (apply a load-limit threshold)',
    cosem: { kind: 'set', classId: 71, obis: LIMITER, index: 4, name: 'threshold_normal' },
    notes:
      'The threshold (W, with the monitored value’s scaler) is the control’s parameter; IS 15959 logs event 158.',
  },
  {
    cim: '0.15.0.55',
    aliases: ['3.15.0.55'],
    name: 'load control: stop (lift the load limit)',
    cosem: { kind: 'set', classId: 71, obis: LIMITER, index: 4, name: 'threshold_normal' },
    notes:
      'Writing a threshold above the meter rating lifts the limit; some meters instead expose a vendor enable flag.',
  },
  {
    cim: '0.31.139.26',
    aliases: [],
    name: 'enable the supply-capacity limit',
    cosem: null,
    notes: 'IS 15959 logs 159 (load limit enabled); the enabling mechanism is vendor- or utility-specific.',
  },
  {
    cim: '0.31.139.22',
    aliases: [],
    name: 'disable the supply-capacity limit',
    cosem: null,
    notes: 'IS 15959 logs 160 (load limit disabled); the mechanism is vendor- or utility-specific.',
  },
]);

/** Looks a control up by its mRID or an alias. Throws `CimError` `UNKNOWN_CODE` when it is not in the table. */
export function controlToIs15959(mrid: string): ControlMapping {
  for (const m of CONTROL_MAPPINGS) if (m.cim === mrid || m.aliases.includes(mrid)) return m;
  throw new CimError('UNKNOWN_CODE', `EndDeviceControlType ${mrid} is not in the control mapping table`, {
    path: ['EndDeviceControlType'],
  });
}

/** The controls carried out by a given COSEM method or attribute (the reverse direction). */
export function is15959OperationToControls(
  classId: number,
  obis: string,
  index: number,
): readonly ControlMapping[] {
  return CONTROL_MAPPINGS.filter(
    (m) =>
      m.cosem !== null && m.cosem.classId === classId && m.cosem.obis === obis && m.cosem.index === index,
  );
}
