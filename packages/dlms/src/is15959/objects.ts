/**
 * The IS 15959 objects a profile can capture, one definition per `(OBIS, attribute)`, each with the stable
 * camelCase **column name** the typed rows use. A name means the same quantity in every profile
 * (`energyWhImport` is 1.0.1.8.0.255 attribute 2 in the instantaneous, daily load and billing profiles and
 * in event snapshots), so rows from different profiles join on names.
 *
 * Sources: `shared/reference/is15959.md` (capture lists of single- and three-phase meters, marked [O]:
 * observed in vendor reference implementations and a utility deployment). Units are recorded only where
 * the quantity fixes them (a voltage is in V); scalers are the meter's choice and come from its scaler
 * profile.
 *
 * @module
 */
import type { DataType } from '../axdr/types.ts';

/** How a value is interpreted in a typed row. */
export type ValueKind =
  /** A 12-byte octet-string (or date-time) date-time: an ISO string. */
  | 'date-time'
  /** A number with a scaler and unit: `{ value, unit }`. */
  | 'quantity'
  /** A plain integer (counters, codes). */
  | 'count'
  /** Text carried as octet-string or visible-string. */
  | 'text'
  | 'enum'
  | 'boolean'
  | 'bits';

/** One capturable value: an attribute of a COSEM object and the column name it gets. */
export interface ObjectDef {
  /** Unique camelCase name of the definition, stable across releases. */
  readonly name: string;
  /**
   * The column name in typed rows: the same as `name`, except where several objects mean one column
   * (the event code objects of the seven logs are all `eventCode`).
   */
  readonly column: string;
  /** Logical name, dotted six groups. */
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number;
  readonly kind: ValueKind;
  /** The Data types a conforming meter may send for it. */
  readonly types: readonly DataType[];
  /** The expected COSEM unit code, when the quantity fixes it (35 V, 33 A, 27 W, 30 Wh, …). */
  readonly unit?: number;
  readonly description: string;
}

const DT: readonly DataType[] = ['octet-string', 'date-time'];
const NUM: readonly DataType[] = [
  'long-unsigned',
  'double-long-unsigned',
  'long',
  'double-long',
  'unsigned',
  'integer',
  'long64',
  'long64-unsigned',
  'float32',
  'float64',
];
const INT: readonly DataType[] = [
  'unsigned',
  'long-unsigned',
  'double-long-unsigned',
  'integer',
  'long',
  'double-long',
  'long64-unsigned',
];
const TEXT: readonly DataType[] = ['octet-string', 'visible-string', 'utf8-string'];

const V = 35;
const A = 33;
const W = 27;
const VA = 28;
const VAR = 29;
const WH = 30;
const VAH = 31;
const VARH = 32;
const HZ = 44;

function d(
  name: string,
  obis: string,
  classId: number,
  attribute: number,
  kind: ValueKind,
  description: string,
  unit?: number,
): ObjectDef {
  const types =
    kind === 'date-time'
      ? DT
      : kind === 'quantity'
        ? NUM
        : kind === 'count'
          ? INT
          : kind === 'text'
            ? TEXT
            : kind === 'boolean'
              ? (['boolean'] as const)
              : kind === 'bits'
                ? (['bit-string'] as const)
                : (['enum', 'unsigned'] as const);
  const o: ObjectDef = { name, column: name, obis, classId, attribute, kind, types, description };
  if (unit !== undefined) (o as { unit?: number }).unit = unit;
  return Object.freeze(o);
}

const q = (name: string, obis: string, description: string, unit?: number, classId = 3): ObjectDef =>
  d(name, obis, classId, 2, 'quantity', description, unit);

/** Every object definition, by column name. */
export const OBJECTS = /* @__PURE__ */ (() => {
  const list: ObjectDef[] = [
    d('timestamp', '0.0.1.0.0.255', 8, 2, 'date-time', 'Clock time (capture time of the row)'),
    // Name plate [O]
    d('serialNumber', '0.0.96.1.0.255', 1, 2, 'text', 'Meter serial number'),
    d('deviceId', '0.0.96.1.2.255', 1, 2, 'text', 'Device ID'),
    d('manufacturer', '0.0.96.1.1.255', 1, 2, 'text', 'Manufacturer name'),
    d('firmwareVersion', '1.0.0.2.0.255', 1, 2, 'text', 'Firmware version for meter'),
    d('meterType', '0.0.94.91.9.255', 1, 2, 'count', 'Meter type'),
    d('category', '0.0.94.91.11.255', 1, 2, 'text', 'Meter category (e.g. "D1")'),
    d('currentRating', '0.0.94.91.12.255', 1, 2, 'text', 'Current rating (e.g. "5-30A")'),
    d('yearOfManufacture', '0.0.96.1.4.255', 1, 2, 'count', 'Year of manufacture'),
    // Instantaneous, single-phase [O]
    q('voltage', '1.0.12.7.0.255', 'Voltage', V),
    q('phaseCurrent', '1.0.11.7.0.255', 'Phase current', A),
    q('neutralCurrent', '1.0.91.7.0.255', 'Neutral current', A),
    q('powerFactor', '1.0.13.7.0.255', 'Signed power factor'),
    q('frequency', '1.0.14.7.0.255', 'Frequency', HZ),
    q('apparentPower', '1.0.9.7.0.255', 'Apparent power', VA),
    q('activePower', '1.0.1.7.0.255', 'Signed active power', W),
    q('reactivePower', '1.0.3.7.0.255', 'Reactive power', VAR),
    q('energyWhImport', '1.0.1.8.0.255', 'Cumulative energy, active import (kWh)', WH),
    q('energyVAhImport', '1.0.9.8.0.255', 'Cumulative energy, apparent import (kVAh)', VAH),
    q('energyWhExport', '1.0.2.8.0.255', 'Cumulative energy, active export', WH),
    q('energyVAhExport', '1.0.10.8.0.255', 'Cumulative energy, apparent export', VAH),
    q('mdW', '1.0.1.6.0.255', 'Maximum demand, active import', W, 4),
    d('mdWTime', '1.0.1.6.0.255', 4, 5, 'date-time', 'Maximum demand, active import: date-time'),
    q('mdVA', '1.0.9.6.0.255', 'Maximum demand, apparent import', VA, 4),
    d('mdVATime', '1.0.9.6.0.255', 4, 5, 'date-time', 'Maximum demand, apparent import: date-time'),
    q('mdWExport', '1.0.2.6.0.255', 'Maximum demand, active export', W, 4),
    d('mdWExportTime', '1.0.2.6.0.255', 4, 5, 'date-time', 'Maximum demand, active export: date-time'),
    q('mdVAExport', '1.0.10.6.0.255', 'Maximum demand, apparent export', VA, 4),
    d('mdVAExportTime', '1.0.10.6.0.255', 4, 5, 'date-time', 'Maximum demand, apparent export: date-time'),
    q(
      'md84',
      '1.0.84.6.0.255',
      'Maximum demand 1.0.84.6.0 (in observed billing lists; meaning not recorded)',
      undefined,
      4,
    ),
    q('cumulativePowerOnDuration', '0.0.94.91.14.255', 'Cumulative power-on duration'),
    d('tamperCount', '0.0.94.91.0.255', 1, 2, 'count', 'Cumulative tamper count'),
    d('billingCount', '0.0.0.1.0.255', 1, 2, 'count', 'Cumulative billing count'),
    d('programmingCount', '0.0.96.2.0.255', 1, 2, 'count', 'Cumulative programming count'),
    d('relayStatus', '0.0.96.3.10.255', 70, 2, 'boolean', 'Disconnect control output_state (load connected)'),
    // Limiter (class 71) attribute 3 threshold_active, as the reference's capture list has it (attribute 2
    // is monitored_value, a structure).
    d('loadLimit', '0.0.17.0.0.255', 71, 3, 'quantity', 'Load limit (Limiter threshold_active)', W),
    // Three-phase instantaneous [O]
    q('currentR', '1.0.31.7.0.255', 'Current, R phase', A),
    q('currentY', '1.0.51.7.0.255', 'Current, Y phase', A),
    q('currentB', '1.0.71.7.0.255', 'Current, B phase', A),
    q('voltageR', '1.0.32.7.0.255', 'Voltage, R phase to neutral', V),
    q('voltageY', '1.0.52.7.0.255', 'Voltage, Y phase to neutral', V),
    q('voltageB', '1.0.72.7.0.255', 'Voltage, B phase to neutral', V),
    q('powerFactorR', '1.0.33.7.0.255', 'Signed power factor, R phase'),
    q('powerFactorY', '1.0.53.7.0.255', 'Signed power factor, Y phase'),
    q('powerFactorB', '1.0.73.7.0.255', 'Signed power factor, B phase'),
    d('powerFailureCount', '0.0.96.7.0.255', 1, 2, 'count', 'Number of power failures'),
    q('powerOffDuration', '0.0.94.91.8.255', 'Cumulative power-off duration'),
    d('billingDate', '0.0.0.1.2.255', 1, 2, 'date-time', 'Billing date'),
    q('energyVarhQ1', '1.0.5.8.0.255', 'Cumulative reactive energy, quadrant I', VARH),
    q('energyVarhQ2', '1.0.6.8.0.255', 'Cumulative reactive energy, quadrant II', VARH),
    q('energyVarhQ3', '1.0.7.8.0.255', 'Cumulative reactive energy, quadrant III', VARH),
    q('energyVarhQ4', '1.0.8.8.0.255', 'Cumulative reactive energy, quadrant IV', VARH),
    // Block load [O]
    q('avgVoltage', '1.0.12.27.0.255', 'Average voltage over the interval', V),
    q('blockEnergyWhImport', '1.0.1.29.0.255', 'Block energy, active import', WH),
    q('blockEnergyVAhImport', '1.0.9.29.0.255', 'Block energy, apparent import', VAH),
    q('blockEnergyWhExport', '1.0.2.29.0.255', 'Block energy, active export', WH),
    q('blockEnergyVAhExport', '1.0.10.29.0.255', 'Block energy, apparent export', VAH),
    q('avgCurrent', '1.0.11.27.0.255', 'Average phase current over the interval', A),
    q('avgNeutralCurrent', '1.0.91.27.0.255', 'Average neutral current over the interval', A),
    d(
      'meterHealth',
      '0.0.96.10.1.255',
      1,
      2,
      'count',
      'Meter health indicator (newer utility specifications)',
    ),
    q('signalStrength', '0.1.96.12.5.255', 'Communication signal strength (newer utility specifications)'),
    q('avgCurrentR', '1.0.31.27.0.255', 'Average current, R phase', A),
    q('avgCurrentY', '1.0.51.27.0.255', 'Average current, Y phase', A),
    q('avgCurrentB', '1.0.71.27.0.255', 'Average current, B phase', A),
    q('avgVoltageR', '1.0.32.27.0.255', 'Average voltage, R phase', V),
    q('avgVoltageY', '1.0.52.27.0.255', 'Average voltage, Y phase', V),
    q('avgVoltageB', '1.0.72.27.0.255', 'Average voltage, B phase', V),
    // Billing [O]
    q('averagePowerFactor', '1.0.13.0.0.255', 'Average power factor for the billing period'),
    q('billingPowerOnDuration', '0.0.94.91.13.255', 'Power-on duration in the billing period'),
    // Events [C]
    d('eventCode', '0.0.96.11.0.255', 1, 2, 'count', 'Event code (voltage-related log)'),
    q('eventCurrent', '1.0.94.91.14.255', 'Current at the event (single-phase event snapshot)', A),
    // Other objects
    d('esw', '0.0.94.91.18.255', 1, 2, 'bits', 'Event status word (128 bits)'),
    d('eswf', '0.0.94.91.26.255', 1, 2, 'bits', 'Event status word filter (128 bits)'),
  ];
  for (let z = 1; z <= 8; z++) {
    list.push(
      q(`energyWhImportTz${z}`, `1.0.1.8.${z}.255`, `Cumulative energy, active import, TOD zone ${z}`, WH),
    );
    list.push(
      q(
        `energyVAhImportTz${z}`,
        `1.0.9.8.${z}.255`,
        `Cumulative energy, apparent import, TOD zone ${z}`,
        VAH,
      ),
    );
    list.push(q(`mdWTz${z}`, `1.0.1.6.${z}.255`, `Maximum demand, active import, TOD zone ${z}`, W, 4));
    list.push(
      d(
        `mdWTz${z}Time`,
        `1.0.1.6.${z}.255`,
        4,
        5,
        'date-time',
        `Maximum demand, active, TOD zone ${z}: date-time`,
      ),
    );
    list.push(q(`mdVATz${z}`, `1.0.9.6.${z}.255`, `Maximum demand, apparent import, TOD zone ${z}`, VA, 4));
    list.push(
      d(
        `mdVATz${z}Time`,
        `1.0.9.6.${z}.255`,
        4,
        5,
        'date-time',
        `Maximum demand, apparent, TOD zone ${z}: date-time`,
      ),
    );
  }
  const logs = ['Voltage', 'Current', 'Power', 'Transaction', 'Other', 'NonRollover', 'Control'];
  for (let i = 1; i < 7; i++) {
    const e = d(`eventCode${logs[i]}`, `0.0.96.11.${i}.255`, 1, 2, 'count', `Event code (${logs[i]} log)`);
    list.push(Object.freeze({ ...e, column: 'eventCode' }));
  }
  const m = new Map<string, ObjectDef>();
  for (const o of list) {
    if (m.has(o.name)) throw new Error(`IS 15959 objects: ${o.name} twice`);
    m.set(o.name, o);
  }
  return m as ReadonlyMap<string, ObjectDef>;
})();

/** The definition with a column name (throws on a name not in {@link OBJECTS}: a bug in a catalogue). */
export function objectDef(name: string): ObjectDef {
  const o = OBJECTS.get(name);
  if (!o) throw new Error(`IS 15959: no object named ${name}`);
  return o;
}

/** Key of a capture column by logical name and attribute (data index appended when not 0). */
export function columnKey(obis: string, attribute: number, dataIndex = 0): string {
  return dataIndex === 0 ? `${obis}/${attribute}` : `${obis}/${attribute}/${dataIndex}`;
}

/** Every definition by `obis/attribute`. */
export const OBJECTS_BY_KEY: ReadonlyMap<string, ObjectDef> = /* @__PURE__ */ new Map(
  [...OBJECTS.values()].map((o) => [columnKey(o.obis, o.attribute), o]),
);
