/**
 * The IS 15959 catalogue of a meter variant: associations, profiles with their capture lists, and the
 * other objects, as typed data. Everything comes from `shared/reference/is15959.md`; the marks there
 * ([C] confirmed, [O] observed in one implementation, [I] inferred) are kept in the `mark` fields, and
 * every [O]/[I] choice that differs between sources is a field of the {@link Is15959VariantInput}.
 *
 * ```ts
 * const cat = is15959Catalogue({ part: 2, phases: 1 });
 * cat.profiles.blockLoad.obis;               // '1.0.99.1.0.255'
 * cat.profiles.blockLoad.columns[1].name;    // 'avgVoltage'
 * cat.associations.find((a) => a.clientSap === 48)?.securitySetup; // '0.0.43.0.3.255'
 * ```
 *
 * ## Associations [C] (policy of the meter reader [O])
 * | association | client SAP | Association LN | authentication | security setup | invocation counter |
 * |---|---|---|---|---|---|
 * | Public Client | 16 | 0.0.40.0.1.255 | none (0) | — | — |
 * | Meter Reader | 32 | 0.0.40.0.2.255 | LLS (1) | 0.0.43.0.2.255 | 0.0.43.1.2.255 |
 * | Utility Settings | 48 | 0.0.40.0.3.255 | HLS (2 or 5) | 0.0.43.0.3.255, auth+enc | 0.0.43.1.3.255 |
 * | Push | 64 | 0.0.40.0.4.255 | pre-established | 0.0.43.0.4.255, enc | 0.0.43.1.4.255 |
 * | Firmware Upgrade | 80 | 0.0.40.0.5.255 | HLS | 0.0.43.0.5.255, auth+enc | 0.0.43.1.5.255 |
 * | In-home display | — | 0.0.40.0.6.255 | pre-established, LLS [O] | — | — |
 *
 * @module
 */
import type { ConformanceBit } from '../apdu/conformance.ts';
import { type ObjectDef, objectDef } from './objects.ts';
import { type Is15959Variant, type Is15959VariantInput, resolveVariant } from './variant.ts';

export type Mark = 'C' | 'O' | 'I';

export type AssociationId =
  | 'public'
  | 'meterReader'
  | 'utilitySettings'
  | 'push'
  | 'firmwareUpgrade'
  | 'inHomeDisplay';

/** Security policy of an association's security setup: what protects its APDUs. */
export type AssociationPolicy = 'none' | 'enc' | 'auth' | 'auth+enc';

export interface AssociationDef {
  readonly id: AssociationId;
  readonly title: string;
  /** Client SAP (undefined for the in-home display, whose address is not recorded). */
  readonly clientSap: number | undefined;
  readonly associationLn: string;
  /** Green Book mechanism id: 0 none, 1 LLS, 2 HLS, 5 HLS-GMAC; `pre-established` has no AARQ. */
  readonly authentication: { readonly mechanism: 0 | 1 | 2 | 5; readonly preEstablished: boolean };
  readonly securitySetup: string | undefined;
  readonly securityPolicy: AssociationPolicy;
  readonly services: readonly ConformanceBit[];
  readonly invocationCounter: string | undefined;
  readonly mark: Mark;
}

export type ProfileId =
  | 'namePlate'
  | 'instantaneous'
  | 'blockLoad'
  | 'dailyLoad'
  | 'billing'
  | 'voltageEvents'
  | 'currentEvents'
  | 'powerEvents'
  | 'transactionEvents'
  | 'otherEvents'
  | 'nonRolloverEvents'
  | 'controlEvents';

export const EVENT_LOG_IDS = Object.freeze([
  'voltageEvents',
  'currentEvents',
  'powerEvents',
  'transactionEvents',
  'otherEvents',
  'nonRolloverEvents',
  'controlEvents',
] as const);
export type EventLogId = (typeof EVENT_LOG_IDS)[number];

export interface ProfileDef {
  readonly id: ProfileId;
  readonly title: string;
  /** Logical name of the Profile generic (class 7). */
  readonly obis: string;
  /** The scaler profile whose single row holds the scaler_unit of this profile's columns. */
  readonly scalerProfile: string | undefined;
  /** Seconds between captures; 0 = captured on an event or at billing. */
  readonly capturePeriod: number;
  /** Typical profile_entries. */
  readonly depth: number;
  /** The capture list in the order meters were observed to use. Meters may differ: map by OBIS. */
  readonly columns: readonly ObjectDef[];
  readonly mark: Mark;
}

/** An object of the meter that is not a profile. */
export interface OtherObjectDef {
  readonly name: string;
  readonly obis: string;
  readonly classId: number;
  readonly description: string;
  readonly mark: Mark;
}

export interface Is15959Catalogue {
  readonly variant: Is15959Variant;
  readonly associations: readonly AssociationDef[];
  readonly profiles: { readonly [K in ProfileId]: ProfileDef };
  readonly otherObjects: readonly OtherObjectDef[];
  /** Push setup logical name → profile (or `alert`), the default push mapping. */
  readonly pushSetups: readonly PushSetupDef[];
}

export interface PushSetupDef {
  readonly obis: string;
  readonly profile: ProfileId | 'alert';
  readonly mark: Mark;
}

const cols = (...names: string[]): readonly ObjectDef[] => Object.freeze(names.map(objectDef));

function associations(v: Is15959Variant): AssociationDef[] {
  const a: AssociationDef[] = [
    {
      id: 'public',
      title: 'Public Client',
      clientSap: 16,
      associationLn: '0.0.40.0.1.255',
      authentication: { mechanism: 0, preEstablished: false },
      securitySetup: undefined,
      securityPolicy: 'none',
      services: ['get'],
      invocationCounter: undefined,
      mark: 'C',
    },
    {
      id: 'meterReader',
      title: 'Meter Reader',
      clientSap: 32,
      associationLn: '0.0.40.0.2.255',
      authentication: { mechanism: 1, preEstablished: false },
      securitySetup: '0.0.43.0.2.255',
      securityPolicy: v.meterReaderPolicy,
      services: ['get', 'block-transfer-with-get-or-read', 'selective-access'],
      invocationCounter: '0.0.43.1.2.255',
      mark: 'O',
    },
    {
      id: 'utilitySettings',
      title: 'Utility Settings',
      clientSap: 48,
      associationLn: '0.0.40.0.3.255',
      authentication: { mechanism: v.utilitySettingsMechanism, preEstablished: false },
      securitySetup: '0.0.43.0.3.255',
      securityPolicy: 'auth+enc',
      services: [
        'get',
        'set',
        'action',
        'selective-access',
        'block-transfer-with-get-or-read',
        'block-transfer-with-set-or-write',
        'general-block-transfer',
        'data-notification',
      ],
      invocationCounter: '0.0.43.1.3.255',
      mark: 'C',
    },
  ];
  if (v.hasPush) {
    a.push({
      id: 'push',
      title: 'Push',
      clientSap: 64,
      associationLn: '0.0.40.0.4.255',
      authentication: { mechanism: 0, preEstablished: true },
      securitySetup: '0.0.43.0.4.255',
      securityPolicy: 'enc',
      services: [
        'data-notification',
        'general-block-transfer',
        'general-protection',
        'get',
        'block-transfer-with-get-or-read',
      ],
      invocationCounter: '0.0.43.1.4.255',
      mark: 'C',
    });
  }
  if (v.hasFirmwareAssociation) {
    a.push({
      id: 'firmwareUpgrade',
      title: 'Firmware Upgrade',
      clientSap: 80,
      associationLn: '0.0.40.0.5.255',
      authentication: { mechanism: 2, preEstablished: false },
      securitySetup: '0.0.43.0.5.255',
      securityPolicy: 'auth+enc',
      services: ['get', 'set', 'action'],
      invocationCounter: '0.0.43.1.5.255',
      mark: 'C',
    });
  }
  if (v.part === 2) {
    a.push({
      id: 'inHomeDisplay',
      title: 'In-home display',
      clientSap: undefined,
      associationLn: '0.0.40.0.6.255',
      authentication: { mechanism: v.ihdAuthentication === 'lls' ? 1 : 0, preEstablished: true },
      securitySetup: undefined,
      securityPolicy: 'none',
      services: ['get'],
      invocationCounter: undefined,
      mark: 'O',
    });
  }
  return a.map((x) => Object.freeze({ ...x, services: Object.freeze(x.services) }));
}

function profiles(v: Is15959Variant): Is15959Catalogue['profiles'] {
  const three = v.phases === 3;
  const namePlate = cols(
    'serialNumber',
    'deviceId',
    'manufacturer',
    'firmwareVersion',
    'meterType',
    'category',
    'currentRating',
    'yearOfManufacture',
  );
  const relay = v.hasConnectDisconnect ? ['relayStatus', 'loadLimit'] : [];
  const instantaneous = three
    ? cols(
        'timestamp',
        'currentR',
        'currentY',
        'currentB',
        'voltageR',
        'voltageY',
        'voltageB',
        'powerFactorR',
        'powerFactorY',
        'powerFactorB',
        'powerFactor',
        'frequency',
        'apparentPower',
        'activePower',
        'reactivePower',
        'powerFailureCount',
        'powerOffDuration',
        'tamperCount',
        'billingCount',
        'programmingCount',
        'billingDate',
        'energyWhImport',
        'energyVAhImport',
        'energyWhExport',
        'energyVAhExport',
        'mdW',
        'mdWTime',
        'mdVA',
        'mdVATime',
        ...relay,
        'energyVarhQ1',
        'energyVarhQ2',
        'energyVarhQ3',
        'energyVarhQ4',
      )
    : cols(
        'timestamp',
        'voltage',
        'phaseCurrent',
        'neutralCurrent',
        'powerFactor',
        'frequency',
        'apparentPower',
        'activePower',
        'energyWhImport',
        'energyVAhImport',
        'mdW',
        'mdWTime',
        'mdVA',
        'mdVATime',
        'cumulativePowerOnDuration',
        'tamperCount',
        'billingCount',
        'programmingCount',
        'energyWhExport',
        'energyVAhExport',
        ...relay,
      );
  const health = v.blockLoadHealthColumns ? ['meterHealth', 'signalStrength'] : [];
  const blockLoad = three
    ? cols(
        'timestamp',
        'avgCurrentR',
        'avgCurrentY',
        'avgCurrentB',
        'avgVoltageR',
        'avgVoltageY',
        'avgVoltageB',
        'blockEnergyWhImport',
        'blockEnergyVAhImport',
        'blockEnergyWhExport',
        'blockEnergyVAhExport',
        ...health,
      )
    : cols(
        'timestamp',
        'avgVoltage',
        'blockEnergyWhImport',
        'blockEnergyVAhImport',
        'blockEnergyWhExport',
        'blockEnergyVAhExport',
        'avgCurrent',
        'avgNeutralCurrent',
        ...health,
      );
  const dailyLoad = cols(
    'timestamp',
    'energyWhImport',
    'energyVAhImport',
    'energyWhExport',
    'energyVAhExport',
  );
  const tz = (p: string) => Array.from({ length: 8 }, (_, i) => `${p}${i + 1}`);
  const tzMd = (p: string) =>
    Array.from({ length: 8 }, (_, i) => [`${p}${i + 1}`, `${p}${i + 1}Time`]).flat();
  const billing = cols(
    'billingDate',
    'averagePowerFactor',
    'energyWhImport',
    ...tz('energyWhImportTz'),
    'energyVAhImport',
    ...tz('energyVAhImportTz'),
    'mdW',
    'mdWTime',
    'mdVA',
    'mdVATime',
    'billingPowerOnDuration',
    'energyWhExport',
    'energyVAhExport',
    'mdWExport',
    'mdWExportTime',
    'mdVAExport',
    'mdVAExportTime',
    'md84',
    ...(three
      ? [...tzMd('mdWTz'), ...tzMd('mdVATz'), 'energyVarhQ1', 'energyVarhQ2', 'energyVarhQ3', 'energyVarhQ4']
      : []),
  );
  const snapshot = three
    ? [
        'currentR',
        'currentY',
        'currentB',
        'voltageR',
        'voltageY',
        'voltageB',
        'powerFactorR',
        'powerFactorY',
        'powerFactorB',
        'energyWhImport',
        'energyWhExport',
        'tamperCount',
      ]
    : ['eventCurrent', 'voltage', 'powerFactor', 'energyWhImport', 'energyWhExport', 'tamperCount'];
  const codeName = [
    'eventCode',
    'eventCodeCurrent',
    'eventCodePower',
    'eventCodeTransaction',
    'eventCodeOther',
    'eventCodeNonRollover',
    'eventCodeControl',
  ];
  const titles = ['Voltage', 'Current', 'Power', 'Transaction', 'Other', 'Non-rollover', 'Control'];
  const withSnapshot = new Set([0, 1, 4]);
  const logs = Object.fromEntries(
    EVENT_LOG_IDS.map((id, i) => [
      id,
      Object.freeze({
        id,
        title: `${titles[i]} related events`,
        obis: `0.0.99.98.${i}.255`,
        scalerProfile: '1.0.94.91.7.255',
        capturePeriod: 0,
        depth: 50,
        columns: cols('timestamp', codeName[i]!, ...(withSnapshot.has(i) ? snapshot : [])),
        mark: 'O' as Mark,
      }),
    ]),
  ) as { [K in EventLogId]: ProfileDef };
  const p = (
    id: ProfileId,
    title: string,
    obis: string,
    scalerProfile: string | undefined,
    capturePeriod: number,
    depth: number,
    columns: readonly ObjectDef[],
  ): ProfileDef =>
    Object.freeze({ id, title, obis, scalerProfile, capturePeriod, depth, columns, mark: 'O' });
  return Object.freeze({
    namePlate: p('namePlate', 'Name plate details', '0.0.94.91.10.255', undefined, 0, 1, namePlate),
    instantaneous: p(
      'instantaneous',
      'Instantaneous parameters',
      '1.0.94.91.0.255',
      '1.0.94.91.3.255',
      0,
      1,
      instantaneous,
    ),
    blockLoad: p(
      'blockLoad',
      'Block load profile',
      '1.0.99.1.0.255',
      '1.0.94.91.4.255',
      v.blockLoadPeriod,
      v.blockLoadDepth,
      blockLoad,
    ),
    dailyLoad: p(
      'dailyLoad',
      'Daily load profile',
      '1.0.99.2.0.255',
      '1.0.94.91.5.255',
      86400,
      70,
      dailyLoad,
    ),
    billing: p('billing', 'Billing profile', '1.0.98.1.0.255', '1.0.94.91.6.255', 0, v.billingDepth, billing),
    ...logs,
  });
}

const o = (
  name: string,
  obis: string,
  classId: number,
  description: string,
  mark: Mark = 'O',
): OtherObjectDef => Object.freeze({ name, obis, classId, description, mark });

function otherObjects(v: Is15959Variant): OtherObjectDef[] {
  const list = [
    o('clock', '0.0.1.0.0.255', 8, 'Clock', 'C'),
    o('eventStatusWord', '0.0.94.91.18.255', 1, 'Event status word (ESW), bit-string of 128 bits', 'C'),
    o('eventStatusWordFilter', '0.0.94.91.26.255', 1, 'ESW filter (ESWF): bit 1 enables push of that event'),
    o('meteringMode', '0.0.94.96.19.255', 1, 'Metering mode'),
    o('paymentMode', '0.0.94.96.20.255', 1, 'Payment mode'),
    o('demandIntegrationPeriod', '1.0.0.8.0.255', 1, 'Demand integration period (900 s)'),
    o('profileCapturePeriod', '1.0.0.8.4.255', 1, 'Block load capture period'),
    o('dailyCapturePeriod', '1.0.0.8.5.255', 1, 'Daily load capture period'),
    o('availableBillingPeriods', '0.0.0.1.1.255', 1, 'Available billing periods'),
    o('mdResetScript', '0.0.10.0.1.255', 9, 'MD reset script table'),
    o('tariffScript', '0.0.10.0.100.255', 9, 'Tariff script table'),
    o('activityCalendar', '0.0.13.0.0.255', 20, 'Activity calendar'),
    o('billingDateSchedule', '0.0.15.0.0.255', 22, 'Single action schedule: billing dates'),
    ...Array.from({ length: 5 }, (_, i) =>
      o(`prepaidRegister${i + 1}`, `0.0.94.96.${21 + i}.255`, 1, `Prepaid register ${i + 1}`),
    ),
  ];
  if (v.hasConnectDisconnect) {
    list.push(
      o(
        'disconnectControl',
        '0.0.96.3.10.255',
        70,
        'Disconnect control (method 1 remote_disconnect, 2 remote_reconnect)',
      ),
    );
    list.push(o('loadLimit', '0.0.17.0.0.255', 71, 'Limiter, monitors 1.0.1.7.0.255 attribute 2'));
  }
  if (v.hasFirmwareAssociation) {
    list.push(o('imageTransfer', '0.0.44.0.0.255', 18, 'Image transfer', 'C'));
    list.push(o('imageActivationScript', '0.0.10.0.107.255', 9, 'Image activation script table'));
    list.push(o('imageActivationSchedule', '0.0.15.0.2.255', 22, 'Single action schedule: image activation'));
  }
  if (v.hasPush) {
    list.push(o('pushScheduleHes', '0.0.15.0.4.255', 22, 'Single action schedule: push to HES'));
    list.push(o('pushScheduleIhd', '0.3.15.0.4.255', 22, 'Single action schedule: push to IHD'));
  }
  for (let i = 0; i < 7; i++) {
    list.push(o(`latestEventCode${i}`, `0.0.96.11.${i}.255`, 1, `Latest event code of event log ${i}`, 'C'));
  }
  return list;
}

function pushSetups(v: Is15959Variant): PushSetupDef[] {
  if (!v.hasPush) return [];
  return [
    { obis: '0.0.25.9.0.255', profile: 'instantaneous', mark: 'C' },
    { obis: '0.4.25.9.0.255', profile: 'alert', mark: 'C' },
    { obis: '0.5.25.9.0.255', profile: 'blockLoad', mark: 'O' },
    { obis: '0.6.25.9.0.255', profile: 'dailyLoad', mark: 'O' },
    { obis: `0.${v.billingPushB}.25.9.0.255`, profile: 'billing', mark: 'O' },
  ].map((x) => Object.freeze(x as PushSetupDef));
}

/** The catalogue of a variant (a new frozen value each call; cheap). */
export function is15959Catalogue(variant: Is15959VariantInput | Is15959Variant): Is15959Catalogue {
  const v = resolveVariant(variant);
  return Object.freeze({
    variant: v,
    associations: Object.freeze(associations(v)),
    profiles: profiles(v),
    otherObjects: Object.freeze(otherObjects(v)),
    pushSetups: Object.freeze(pushSetups(v)),
  });
}

/** The profile (or event log) whose Profile generic has this logical name, if any. */
export function profileByObis(catalogue: Is15959Catalogue, obis: string): ProfileDef | undefined {
  for (const p of Object.values(catalogue.profiles)) if (p.obis === obis) return p;
  return undefined;
}
