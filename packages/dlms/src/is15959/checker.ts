/**
 * The rules of the IS 15959 conformance checker, without I/O: each function takes what was read from a
 * meter (capture objects, scaler units, buffers, an object list) and the catalogue of the variant, and
 * returns findings. The network side (`ami meter check`) reads and calls these.
 *
 * | finding id | severity | when |
 * |---|---|---|
 * | `wrong-type` | error | a value's Data type is not one the catalogue allows for that object |
 * | `wrong-unit` | error | a scaler_unit's unit differs from the quantity's unit (a voltage not in V) |
 * | `wrong-scaler` | error / warning | the scaler differs from `expectedScalers` (error), or is outside −6..6 (warning) |
 * | `missing-scaler` | warning | a quantity column has no scaler_unit in the scaler profile |
 * | `missing-object` | error ([C] objects) / warning ([O]/[I]) | an expected object is not in the object list |
 * | `missing-column` | configurable (warning) | a catalogue column is not captured |
 * | `wrong-class` | error | a known logical name with another class_id |
 * | `wrong-access` | error | an access right the association's services contradict |
 * | `capture-order` | configurable (warning) | captured columns in another order than the catalogue (meters may legitimately differ) |
 * | `unknown-event-code` | warning | an event code not in the IS 15959 table |
 * | `event-in-wrong-log` | warning | a known event code in another log than its own |
 *
 * `path` names where the defect is (`blockLoad.captureObjects[3]`, `blockLoad.buffer[12][1]`,
 * `objectList[0.0.1.0.0.255].attribute[2]`); `bytes` is the A-XDR of the offending value, when there is one.
 * Repeated value defects in a buffer are reported once per column, with the count.
 *
 * @module
 */
import { encodeData } from '../axdr/codec.ts';
import type { Data, DataType } from '../axdr/types.ts';
import { type ObjectListElement, objectListElement } from '../cosem/association-ln.ts';
import { arrayOf } from '../cosem/codec.ts';
import type { CaptureObjectDefinition, ScalerUnit } from '../cosem/common.ts';
import { ATTRIBUTE_ACCESS, METHOD_ACCESS } from '../cosem/object.ts';
import { unitSymbol } from '../cosem/units.ts';
import { DlmsError, withPath } from '../errors.ts';
import { toHex } from '../internal/hex.ts';
import { formatObis } from '../obis/index.ts';
import {
  type AssociationDef,
  EVENT_LOG_IDS,
  type EventLogId,
  type Is15959Catalogue,
  is15959Catalogue,
  type Mark,
  type ProfileDef,
  type ProfileId,
} from './catalogue.ts';
import { EVENT_CODES } from './events.ts';
import { columnKey, OBJECTS_BY_KEY, type ObjectDef } from './objects.ts';
import { describeColumns, type ScalerUnitsInput } from './rows.ts';
import type { Is15959Variant, Is15959VariantInput } from './variant.ts';

export type Severity = 'error' | 'warning' | 'info';

export type FindingId =
  | 'wrong-type'
  | 'wrong-unit'
  | 'wrong-scaler'
  | 'missing-scaler'
  | 'missing-object'
  | 'missing-column'
  | 'wrong-class'
  | 'wrong-access'
  | 'capture-order'
  | 'unknown-event-code'
  | 'event-in-wrong-log';

export interface Finding {
  readonly id: FindingId;
  readonly severity: Severity;
  readonly message: string;
  readonly path: string;
  /** Hex of the offending value's A-XDR encoding, when there is one. */
  readonly bytes?: string;
}

export interface CheckOptions {
  /** Default `{ part: 2, phases: 1 }`. */
  readonly variant?: Is15959VariantInput | Is15959Variant | undefined;
  /** Severity of a capture order that differs from the catalogue, or `off` (default `warning`). */
  readonly captureOrder?: Severity | 'off' | undefined;
  /** Severity of a catalogue column the meter does not capture, or `off` (default `warning`). */
  readonly missingColumn?: Severity | 'off' | undefined;
  /** Scalers a utility specification fixes, by column name (`{ avgVoltage: -1 }`). */
  readonly expectedScalers?: Readonly<Record<string, number>> | undefined;
}

const catalogueOf = (o: CheckOptions): Is15959Catalogue =>
  is15959Catalogue(o.variant ?? { part: 2, phases: 1 });

function hexOf(d: Data): string | undefined {
  try {
    return toHex(encodeData(d));
  } catch {
    return undefined;
  }
}

/** A value of a known object: `wrong-type` when its Data type is not one the catalogue allows. */
export function checkValue(def: ObjectDef, value: Data, path: string): Finding[] {
  if (value.type === 'null-data' || def.types.includes(value.type)) {
    if (def.kind === 'date-time' && value.type === 'octet-string' && value.value.length !== 12) {
      return [
        {
          id: 'wrong-type',
          severity: 'error',
          message: `${def.name} (${def.obis} attribute ${def.attribute}) is a date-time: octet-string of 12 bytes expected, got ${value.value.length} bytes`,
          path,
          ...bytesOf(value),
        },
      ];
    }
    return [];
  }
  return [
    {
      id: 'wrong-type',
      severity: 'error',
      message: `${def.name} (${def.obis} attribute ${def.attribute}) must be ${listTypes(def.types)}, got ${value.type}`,
      path,
      ...bytesOf(value),
    },
  ];
}

function bytesOf(d: Data): { bytes?: string } {
  const b = hexOf(d);
  return b === undefined ? {} : { bytes: b };
}

function listTypes(t: readonly DataType[]): string {
  return t.length === 1 ? t[0]! : `one of ${t.join(', ')}`;
}

/** The scaler_unit of a quantity: `wrong-unit`, `wrong-scaler` (see the module doc). */
export function checkScalerUnit(
  def: ObjectDef,
  su: ScalerUnit,
  path: string,
  options: Pick<CheckOptions, 'expectedScalers'> = {},
): Finding[] {
  const out: Finding[] = [];
  const bytes = hexOf({
    type: 'structure',
    value: [
      { type: 'integer', value: su.scaler },
      { type: 'enum', value: su.unit },
    ],
  });
  const b = bytes === undefined ? {} : { bytes };
  if (def.unit !== undefined && su.unit !== def.unit) {
    out.push({
      id: 'wrong-unit',
      severity: 'error',
      message: `${def.name} (${def.obis}) must be in ${unitSymbol(def.unit)} (unit ${def.unit}), the meter says ${unitSymbol(su.unit)} (unit ${su.unit})`,
      path,
      ...b,
    });
  }
  const expected = options.expectedScalers?.[def.name];
  if (expected !== undefined && su.scaler !== expected) {
    out.push({
      id: 'wrong-scaler',
      severity: 'error',
      message: `${def.name} (${def.obis}) scaler must be ${expected}, the meter says ${su.scaler}`,
      path,
      ...b,
    });
  } else if (su.scaler < -6 || su.scaler > 6) {
    out.push({
      id: 'wrong-scaler',
      severity: 'warning',
      message: `${def.name} (${def.obis}) scaler ${su.scaler} is outside the plausible range −6..6`,
      path,
      ...b,
    });
  }
  return out;
}

export interface ProfileReading {
  /** attribute 3 as read (typed or Data). */
  readonly captureObjects: readonly CaptureObjectDefinition[] | Data;
  readonly scalerUnits?: ScalerUnitsInput | undefined;
  /** attribute 2 as read (typed rows or Data), optional. */
  readonly buffer?: readonly (readonly Data[])[] | Data | undefined;
}

/**
 * Checks one profile as read against the catalogue: capture objects (classes, missing columns, order),
 * scaler units of its quantities, and, when given, the buffer's values (types, event codes).
 */
export function checkProfile(
  profile: ProfileId,
  reading: ProfileReading,
  options: CheckOptions = {},
): Finding[] {
  const cat = catalogueOf(options);
  const def = cat.profiles[profile];
  if (!def) throw new DlmsError('INVALID_ARGUMENT', `unknown profile ${String(profile)}`);
  const columns = withPath(profile, () =>
    describeColumns(reading.captureObjects, { scalerUnits: reading.scalerUnits }),
  );
  const out: Finding[] = [];
  const p = profile;
  // Classes and missing columns.
  columns.forEach((c, i) => {
    if (c.def && c.def.classId !== c.classId) {
      out.push({
        id: 'wrong-class',
        severity: 'error',
        message: `${c.name} (${c.obis}) is class ${c.def.classId}, captured as class ${c.classId}`,
        path: `${p}.captureObjects[${i}]`,
      });
    }
  });
  const captured = new Set(columns.map((c) => columnKey(c.obis, c.attribute, c.dataIndex)));
  const missSev = options.missingColumn ?? 'warning';
  if (missSev !== 'off') {
    for (const c of def.columns) {
      if (!captured.has(columnKey(c.obis, c.attribute))) {
        out.push({
          id: 'missing-column',
          severity: missSev,
          message: `${def.title} does not capture ${c.name} (${c.obis} attribute ${c.attribute})`,
          path: `${p}.captureObjects`,
        });
      }
    }
  }
  // Order of the columns both lists have.
  const orderSev = options.captureOrder ?? 'warning';
  if (orderSev !== 'off') {
    const pos = new Map(def.columns.map((c, i) => [columnKey(c.obis, c.attribute), i]));
    let lastPos = -1;
    let lastName = '';
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const at = pos.get(columnKey(c.obis, c.attribute, c.dataIndex));
      if (at === undefined) continue;
      if (at < lastPos) {
        out.push({
          id: 'capture-order',
          severity: orderSev,
          message: `${c.name} is captured after ${lastName}; the catalogue has it before (column ${at + 1} of ${def.columns.length})`,
          path: `${p}.captureObjects[${i}]`,
        });
        break;
      }
      lastPos = at;
      lastName = c.name;
    }
  }
  // Scalers and units.
  if (reading.scalerUnits !== undefined) {
    columns.forEach((c) => {
      if (c.def?.kind !== 'quantity' || c.def.classId === 71) return;
      if (!c.scalerUnit) {
        out.push({
          id: 'missing-scaler',
          severity: 'warning',
          message:
            `no scaler_unit for ${c.name} (${c.obis}) in the scaler profile ${def.scalerProfile ?? ''}`.trim(),
          path: `${p}.scalerUnits[${c.obis}]`,
        });
        return;
      }
      out.push(...checkScalerUnit(c.def, c.scalerUnit, `${p}.scalerUnits[${c.obis}]`, options));
    });
  }
  // Buffer values.
  if (reading.buffer !== undefined) {
    const rows = withPath(profile, () => bufferRows(reading.buffer!));
    const typeFindings = new Map<number, { f: Finding; n: number }>();
    const isEventLog = (EVENT_LOG_IDS as readonly string[]).includes(profile);
    const codeCol = columns.findIndex((c) => c.def?.column === 'eventCode');
    rows.forEach((row, r) => {
      for (let i = 0; i < columns.length && i < row.length; i++) {
        const c = columns[i]!;
        if (!c.def) continue;
        const f = checkValue(c.def, row[i]!, `${p}.buffer[${r}][${i}]`);
        if (f.length > 0) {
          const seen = typeFindings.get(i);
          if (seen) seen.n++;
          else typeFindings.set(i, { f: f[0]!, n: 1 });
        }
      }
      if (isEventLog && codeCol >= 0) {
        const v = row[codeCol];
        if (v && (v.type === 'long-unsigned' || v.type === 'unsigned' || v.type === 'double-long-unsigned')) {
          const info = EVENT_CODES.get(v.value);
          const path = `${p}.buffer[${r}][${codeCol}]`;
          if (!info) {
            out.push({
              id: 'unknown-event-code',
              severity: 'warning',
              message: `event code ${v.value} is not in the IS 15959 event table`,
              path,
              ...bytesOf(v),
            });
          } else if (info.log !== (profile as EventLogId)) {
            out.push({
              id: 'event-in-wrong-log',
              severity: 'warning',
              message: `event code ${v.value} (${info.name}) belongs to ${info.log}, found in ${profile}`,
              path,
              ...bytesOf(v),
            });
          }
        }
      }
    });
    for (const { f, n } of typeFindings.values()) {
      out.push(n === 1 ? f : { ...f, message: `${f.message} (and ${n - 1} more rows)` });
    }
  }
  return out;
}

const bufferCodec = /* @__PURE__ */ arrayOf({
  shape: 'structure',
  decode: (d: Data) => {
    if (d?.type !== 'structure')
      throw new DlmsError('MALFORMED', `expected a structure (a buffer row), got ${d?.type}`);
    return d.value;
  },
  encode: (v: Data[]): Data => ({ type: 'structure', value: v }),
});

function bufferRows(b: readonly (readonly Data[])[] | Data): readonly (readonly Data[])[] {
  if (Array.isArray(b)) return b as readonly (readonly Data[])[];
  return withPath('buffer', () => bufferCodec.decode(b as Data));
}

// ---------------------------------------------------------------------------------------------------------
// Object lists

/** An object an association is expected to list. */
export interface ExpectedObject {
  readonly obis: string;
  readonly classId: number;
  readonly what: string;
  readonly mark: Mark;
}

/**
 * The objects an association is expected to show [I]: the public client its Association LN, the clock and
 * the invocation counters (the secure-connection recipe reads them); the push association its push
 * setups; the firmware association the image transfer; meter reader and utility settings the whole
 * catalogue (profiles, scaler profiles, other objects) and their own security setup.
 */
export function expectedObjects(catalogue: Is15959Catalogue, association: AssociationDef): ExpectedObject[] {
  const out: ExpectedObject[] = [
    { obis: association.associationLn, classId: 15, what: `${association.title} Association LN`, mark: 'C' },
  ];
  if (association.securitySetup) {
    out.push({
      obis: association.securitySetup,
      classId: 64,
      what: `${association.title} security setup`,
      mark: 'C',
    });
  }
  const clock = { obis: '0.0.1.0.0.255', classId: 8, what: 'Clock', mark: 'C' as Mark };
  switch (association.id) {
    case 'public':
      out.push(clock);
      for (const a of catalogue.associations) {
        if (a.invocationCounter) {
          out.push({
            obis: a.invocationCounter,
            classId: 1,
            what: `${a.title} invocation counter`,
            mark: 'O',
          });
        }
      }
      break;
    case 'push':
      for (const p of catalogue.pushSetups) {
        out.push({ obis: p.obis, classId: 40, what: `push setup (${p.profile})`, mark: p.mark });
      }
      break;
    case 'firmwareUpgrade':
      out.push(clock, { obis: '0.0.44.0.0.255', classId: 18, what: 'Image transfer', mark: 'C' });
      break;
    case 'meterReader':
    case 'utilitySettings': {
      const seen = new Set<string>();
      for (const p of Object.values(catalogue.profiles) as ProfileDef[]) {
        out.push({ obis: p.obis, classId: 7, what: p.title, mark: 'C' });
        if (p.scalerProfile && !seen.has(p.scalerProfile)) {
          seen.add(p.scalerProfile);
          out.push({ obis: p.scalerProfile, classId: 7, what: `scaler profile of ${p.title}`, mark: 'C' });
        }
      }
      for (const o of catalogue.otherObjects)
        out.push({ obis: o.obis, classId: o.classId, what: o.description, mark: o.mark });
      break;
    }
    default:
      break;
  }
  return out;
}

export interface ObjectListCheckOptions extends CheckOptions {
  /** The association whose object list this is, by client SAP (16, 32, 48, 64, 80). */
  readonly clientSap: number;
  /** Replaces {@link expectedObjects} for this association. */
  readonly expected?: readonly ExpectedObject[] | undefined;
}

const objectListCodec = /* @__PURE__ */ arrayOf(objectListElement);

const WRITE_MODES = new Set<number>([
  ATTRIBUTE_ACCESS['write-only'],
  ATTRIBUTE_ACCESS['read-and-write'],
  ATTRIBUTE_ACCESS['authenticated-write-only'],
  ATTRIBUTE_ACCESS['authenticated-read-and-write'],
]);

/** Known class of each logical name in the catalogue (profiles, columns' objects, other objects). */
function knownClasses(cat: Is15959Catalogue): Map<string, { classId: number; what: string }> {
  const m = new Map<string, { classId: number; what: string }>();
  for (const o of OBJECTS_BY_KEY.values()) m.set(o.obis, { classId: o.classId, what: o.name });
  for (const p of Object.values(cat.profiles) as ProfileDef[]) {
    m.set(p.obis, { classId: 7, what: p.title });
    if (p.scalerProfile) m.set(p.scalerProfile, { classId: 7, what: `scaler profile of ${p.title}` });
  }
  for (const o of cat.otherObjects) m.set(o.obis, { classId: o.classId, what: o.description });
  for (const a of cat.associations) {
    m.set(a.associationLn, { classId: 15, what: `${a.title} Association LN` });
    if (a.securitySetup) m.set(a.securitySetup, { classId: 64, what: `${a.title} security setup` });
  }
  return m;
}

/**
 * Checks an association's object_list (attribute 2 of its Association LN, typed or Data): expected objects
 * missing, known logical names with another class, and access rights the association's services
 * contradict (an association whose services are GET only must not grant write or method access; the
 * utility settings association must be able to set the clock and operate the disconnect control).
 */
export function checkObjectList(
  objectList: readonly ObjectListElement[] | Data,
  options: ObjectListCheckOptions,
): Finding[] {
  const cat = catalogueOf(options);
  const association = cat.associations.find((a) => a.clientSap === options.clientSap);
  if (!association) {
    throw new DlmsError(
      'INVALID_ARGUMENT',
      `no IS 15959 association with client SAP ${options.clientSap} in this variant`,
    );
  }
  const list = Array.isArray(objectList)
    ? (objectList as readonly ObjectListElement[])
    : withPath('objectList', () => objectListCodec.decode(objectList as Data));
  const out: Finding[] = [];
  const byName = new Map(list.map((e) => [formatObis(e.logicalName), e]));
  for (const x of options.expected ?? expectedObjects(cat, association)) {
    if (!byName.has(x.obis)) {
      out.push({
        id: 'missing-object',
        severity: x.mark === 'C' ? 'error' : 'warning',
        message: `${association.title} (client ${association.clientSap}) does not list ${x.what} ${x.obis} (class ${x.classId})`,
        path: 'objectList',
      });
    }
  }
  const known = knownClasses(cat);
  const getOnly = !association.services.includes('set') && !association.services.includes('action');
  for (const e of list) {
    const ln = formatObis(e.logicalName);
    const k = known.get(ln);
    if (k && k.classId !== e.classId) {
      out.push({
        id: 'wrong-class',
        severity: 'error',
        message: `${ln} (${k.what}) is class ${k.classId}, listed as class ${e.classId}`,
        path: `objectList[${ln}]`,
      });
    }
    if (getOnly) {
      for (const a of e.accessRights.attributeAccess) {
        if (WRITE_MODES.has(a.accessMode)) {
          out.push({
            id: 'wrong-access',
            severity: 'error',
            message: `${association.title} (client ${association.clientSap}) has GET only, but grants access mode ${a.accessMode} (write) to attribute ${a.attributeId} of ${ln}`,
            path: `objectList[${ln}].attribute[${a.attributeId}]`,
          });
        }
      }
      for (const m of e.accessRights.methodAccess) {
        if (m.accessMode !== METHOD_ACCESS['no-access']) {
          out.push({
            id: 'wrong-access',
            severity: 'error',
            message: `${association.title} (client ${association.clientSap}) has no ACTION service, but grants method ${m.methodId} of ${ln}`,
            path: `objectList[${ln}].method[${m.methodId}]`,
          });
        }
      }
    }
    if (association.id === 'utilitySettings') {
      if (ln === '0.0.1.0.0.255' && e.classId === 8) {
        const t = e.accessRights.attributeAccess.find((a) => a.attributeId === 2);
        if (!t || !WRITE_MODES.has(t.accessMode)) {
          out.push({
            id: 'wrong-access',
            severity: 'error',
            message: `Utility Settings must be able to set the clock (0.0.1.0.0.255 attribute 2), access mode is ${t?.accessMode ?? 'absent'}`,
            path: `objectList[${ln}].attribute[2]`,
          });
        }
      }
      if (ln === '0.0.96.3.10.255' && e.classId === 70) {
        for (const id of [1, 2]) {
          const m = e.accessRights.methodAccess.find((x) => x.methodId === id);
          if (!m || m.accessMode === METHOD_ACCESS['no-access']) {
            out.push({
              id: 'wrong-access',
              severity: 'error',
              message: `Utility Settings must be able to call ${id === 1 ? 'remote_disconnect' : 'remote_reconnect'} (method ${id}) of the disconnect control`,
              path: `objectList[${ln}].method[${id}]`,
            });
          }
        }
      }
    }
  }
  return out;
}

/** The catalogue definition of a logical name and attribute, for callers checking single values. */
export function objectDefFor(obis: string, attribute: number): ObjectDef | undefined {
  return OBJECTS_BY_KEY.get(columnKey(obis, attribute));
}
