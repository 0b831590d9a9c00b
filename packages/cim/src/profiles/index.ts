/**
 * The IEC 61968-9 profiles we model, with their namespaces, and the CEA "additional messages" extensions.
 *
 * ```ts
 * import { PROFILES, type MeterReadings } from '@ami-interop/cim/profiles';
 * ```
 *
 * @module
 */
import {
  type EndDeviceKeyChanges,
  EndDeviceKeyChangesNamespace,
  EndDeviceKeyChangesType,
  type FirmwareUpgrades,
  FirmwareUpgradesNamespace,
  FirmwareUpgradesType,
  type NetworkOptimisations,
  NetworkOptimisationsNamespace,
  NetworkOptimisationsType,
} from './cea-extensions.ts';
import { type EndDeviceConfig, EndDeviceConfigNamespace, EndDeviceConfigType } from './end-device-config.ts';
import {
  type EndDeviceControls,
  EndDeviceControlsNamespace,
  EndDeviceControlsType,
} from './end-device-controls.ts';
import { type EndDeviceEvents, EndDeviceEventsNamespace, EndDeviceEventsType } from './end-device-events.ts';
import {
  type GetEndDeviceEvents,
  GetEndDeviceEventsNamespace,
  GetEndDeviceEventsType,
  type GetMeterReadings,
  GetMeterReadingsNamespace,
  GetMeterReadingsType,
} from './get.ts';
import {
  type MasterDataLinkageConfig,
  MasterDataLinkageConfigNamespace,
  MasterDataLinkageConfigType,
} from './master-data-linkage-config.ts';
import { type MeterConfig, MeterConfigNamespace, MeterConfigType } from './meter-config.ts';
import {
  type MeterReadSchedule,
  MeterReadScheduleNamespace,
  MeterReadScheduleType,
} from './meter-read-schedule.ts';
import { type MeterReadings, MeterReadingsNamespace, MeterReadingsType } from './meter-readings.ts';
import {
  type MeterServiceRequests,
  MeterServiceRequestsNamespace,
  MeterServiceRequestsType,
} from './meter-service-requests.ts';
import type { ComplexType } from './schema.ts';
import {
  type UsagePointConfig,
  UsagePointConfigNamespace,
  UsagePointConfigType,
} from './usage-point-config.ts';

export * from './cea-extensions.ts';
export * from './common.ts';
export * from './config-common.ts';
export * from './end-device-config.ts';
export * from './end-device-controls.ts';
export * from './end-device-events.ts';
export * from './get.ts';
export * from './master-data-linkage-config.ts';
export * from './meter-config.ts';
export * from './meter-read-schedule.ts';
export * from './meter-readings.ts';
export * from './meter-service-requests.ts';
export * from './schema.ts';
export * from './usage-point-config.ts';

/** A profile: its root element (= the Header.Noun it is sent with, except Get profiles), namespace and type. */
export interface ProfileDef {
  /** Root element local name, e.g. `MeterReadings`. */
  readonly element: string;
  /** The noun a message carrying it names in `Header.Noun` (`GetMeterReadings` is sent with noun `MeterReadings`). */
  readonly noun: string;
  readonly namespace: string;
  readonly type: ComplexType;
  /** Where it goes: `payload` (Payload / Operation) or `request` (a Get profile inside Request). */
  readonly slot: 'payload' | 'request';
  /** True for our CEA extensions (namespace `urn:ami-interop:cim-ext:…`), not IEC 61968-9. */
  readonly extension: boolean;
  /** The 2011 draft XSD file (in shared/reference/xsd/openwms-61968-9-draft-2011/xsd/) it follows, if any. */
  readonly xsd?: string;
}

/** Profiles carried in Payload (and in OperationSet operations). */
export interface PayloadProfiles {
  MeterReadings?: MeterReadings;
  EndDeviceControls?: EndDeviceControls;
  EndDeviceEvents?: EndDeviceEvents;
  MeterReadSchedule?: MeterReadSchedule;
  MeterConfig?: MeterConfig;
  EndDeviceConfig?: EndDeviceConfig;
  UsagePointConfig?: UsagePointConfig;
  MasterDataLinkageConfig?: MasterDataLinkageConfig;
  MeterServiceRequests?: MeterServiceRequests;
  /** Extension (CEA additional message), not IEC 61968-9. */
  EndDeviceKeyChanges?: EndDeviceKeyChanges;
  /** Extension (CEA additional message), not IEC 61968-9. */
  FirmwareUpgrades?: FirmwareUpgrades;
  /** Extension (CEA additional message), not IEC 61968-9. */
  NetworkOptimisations?: NetworkOptimisations;
}

/** Get profiles carried in Request. */
export interface RequestProfiles {
  GetMeterReadings?: GetMeterReadings;
  GetEndDeviceEvents?: GetEndDeviceEvents;
}

/** Every profile we know, in a fixed order. */
export const PROFILES: readonly ProfileDef[] = [
  {
    element: 'MeterReadings',
    noun: 'MeterReadings',
    namespace: MeterReadingsNamespace,
    type: MeterReadingsType,
    slot: 'payload',
    extension: false,
    xsd: 'MeterReadings.xsd',
  },
  {
    element: 'EndDeviceControls',
    noun: 'EndDeviceControls',
    namespace: EndDeviceControlsNamespace,
    type: EndDeviceControlsType,
    slot: 'payload',
    extension: false,
    xsd: 'EndDeviceControls.xsd',
  },
  {
    element: 'EndDeviceEvents',
    noun: 'EndDeviceEvents',
    namespace: EndDeviceEventsNamespace,
    type: EndDeviceEventsType,
    slot: 'payload',
    extension: false,
    xsd: 'EndDeviceEvents.xsd',
  },
  {
    element: 'MeterReadSchedule',
    noun: 'MeterReadSchedule',
    namespace: MeterReadScheduleNamespace,
    type: MeterReadScheduleType,
    slot: 'payload',
    extension: false,
    xsd: 'MeterReadSchedule.xsd',
  },
  {
    element: 'MeterConfig',
    noun: 'MeterConfig',
    namespace: MeterConfigNamespace,
    type: MeterConfigType,
    slot: 'payload',
    extension: false,
  },
  {
    element: 'EndDeviceConfig',
    noun: 'EndDeviceConfig',
    namespace: EndDeviceConfigNamespace,
    type: EndDeviceConfigType,
    slot: 'payload',
    extension: false,
  },
  {
    element: 'UsagePointConfig',
    noun: 'UsagePointConfig',
    namespace: UsagePointConfigNamespace,
    type: UsagePointConfigType,
    slot: 'payload',
    extension: false,
  },
  {
    element: 'MasterDataLinkageConfig',
    noun: 'MasterDataLinkageConfig',
    namespace: MasterDataLinkageConfigNamespace,
    type: MasterDataLinkageConfigType,
    slot: 'payload',
    extension: false,
  },
  {
    element: 'MeterServiceRequests',
    noun: 'MeterServiceRequests',
    namespace: MeterServiceRequestsNamespace,
    type: MeterServiceRequestsType,
    slot: 'payload',
    extension: false,
    // Follows the draft `MeterServiceRequests.xsd`, but that file imports the draft `Message.xsd` (for its
    // embedded Header), so it is validated in test/profiles-config-xsd.test.ts with the import preloaded
    // rather than through `xsd` here (which validators load as a single, self-contained file).
  },
  {
    element: 'EndDeviceKeyChanges',
    noun: 'EndDeviceKeyChanges',
    namespace: EndDeviceKeyChangesNamespace,
    type: EndDeviceKeyChangesType,
    slot: 'payload',
    extension: true,
  },
  {
    element: 'FirmwareUpgrades',
    noun: 'FirmwareUpgrades',
    namespace: FirmwareUpgradesNamespace,
    type: FirmwareUpgradesType,
    slot: 'payload',
    extension: true,
  },
  {
    element: 'NetworkOptimisations',
    noun: 'NetworkOptimisations',
    namespace: NetworkOptimisationsNamespace,
    type: NetworkOptimisationsType,
    slot: 'payload',
    extension: true,
  },
  {
    element: 'GetMeterReadings',
    noun: 'MeterReadings',
    namespace: GetMeterReadingsNamespace,
    type: GetMeterReadingsType,
    slot: 'request',
    extension: false,
  },
  {
    element: 'GetEndDeviceEvents',
    noun: 'EndDeviceEvents',
    namespace: GetEndDeviceEventsNamespace,
    type: GetEndDeviceEventsType,
    slot: 'request',
    extension: false,
  },
];

/** The profile whose root element is `element` in `slot`, or undefined. */
export function profileByElement(element: string, slot?: 'payload' | 'request'): ProfileDef | undefined {
  for (const p of PROFILES) if (p.element === element && (slot === undefined || p.slot === slot)) return p;
  return undefined;
}
