/**
 * **Extensions, not IEC 61968-9.** The CEA unified-HES guidelines require "additional messages" for key
 * changes, firmware upgrades and network optimisation next to IEC 61968-9, without publishing their format.
 * These are ours, in namespaces `urn:ami-interop:cim-ext:<Noun>#`, shaped like the standard's nouns
 * (a plural root holding repeated items, IdentifiedObject references by mRID/Names, an ActivityRecord-like
 * `status`, elements in alphabetical order as the 61968-9 profiles do). Peers that do not know them will
 * refuse or ignore them; agree on them bilaterally.
 *
 * ```xml
 * EndDeviceKeyChanges = EndDeviceKeyChange* {mRID?, effectiveDateTime?, kekId?, keyKind, keyVersion?,
 *                       wrappedKey? (base64 RFC 3394 wrap), EndDevices*, status?}
 * FirmwareUpgrades    = FirmwareUpgrade* {mRID?, activationDateTime?, digestAlgorithm?, firmwareIdentifier,
 *                       imageDigest?, imageUri?, EndDeviceGroups*, EndDevices*, status?}
 * NetworkOptimisations = NetworkOptimisation* {mRID?, action, Parameters* {name, value?}, EndDevices*, status?}
 * ```
 *
 * @module
 */
import { ObjectRefType, StatusType } from './common.ts';
import { complexType, type Infer } from './schema.ts';

export const EXTENSION_NAMESPACE_PREFIX = 'urn:ami-interop:cim-ext:';
export const EndDeviceKeyChangesNamespace = 'urn:ami-interop:cim-ext:EndDeviceKeyChanges#';
export const FirmwareUpgradesNamespace = 'urn:ami-interop:cim-ext:FirmwareUpgrades#';
export const NetworkOptimisationsNamespace = 'urn:ami-interop:cim-ext:NetworkOptimisations#';

/** Which DLMS secret a key change replaces (IS 15959 / DLMS security suite 0 keys and LLS/HLS secrets). */
export const KEY_KINDS = [
  'authenticationKey',
  'globalBroadcastEncryptionKey',
  'globalUnicastEncryptionKey',
  'hlsSecret',
  'llsSecret',
  'masterKey',
] as const;

export const EndDeviceKeyChangeType = complexType({
  name: 'EndDeviceKeyChange',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'effectiveDateTime', t: 'dateTime' },
    { n: 'kekId', t: 'string' },
    { n: 'keyKind', t: 'string', enum: KEY_KINDS, req: true },
    { n: 'keyVersion', t: 'integer' },
    { n: 'wrappedKey', t: 'string' },
    { n: 'EndDevices', t: 'complex', type: ObjectRefType, many: true },
    { n: 'status', t: 'complex', type: StatusType },
  ],
} as const);

export const EndDeviceKeyChangesType = complexType({
  name: 'EndDeviceKeyChanges',
  fields: [{ n: 'EndDeviceKeyChange', t: 'complex', type: EndDeviceKeyChangeType, many: true }],
} as const);
export type EndDeviceKeyChanges = Infer<typeof EndDeviceKeyChangesType>;

export const FirmwareUpgradeType = complexType({
  name: 'FirmwareUpgrade',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'activationDateTime', t: 'dateTime' },
    { n: 'digestAlgorithm', t: 'string' },
    { n: 'firmwareIdentifier', t: 'string', req: true },
    { n: 'imageDigest', t: 'string' },
    { n: 'imageUri', t: 'string' },
    { n: 'EndDeviceGroups', t: 'complex', type: ObjectRefType, many: true },
    { n: 'EndDevices', t: 'complex', type: ObjectRefType, many: true },
    { n: 'status', t: 'complex', type: StatusType },
  ],
} as const);

export const FirmwareUpgradesType = complexType({
  name: 'FirmwareUpgrades',
  fields: [{ n: 'FirmwareUpgrade', t: 'complex', type: FirmwareUpgradeType, many: true }],
} as const);
export type FirmwareUpgrades = Infer<typeof FirmwareUpgradesType>;

/** Network actions a NMS/WAN adaptor can be asked for. */
export const NETWORK_ACTIONS = [
  'discover',
  'refreshNeighbours',
  'reroute',
  'setParent',
  'setTxPower',
] as const;

export const NetworkParameterType = complexType({
  name: 'NetworkParameter',
  fields: [
    { n: 'name', t: 'string', req: true },
    { n: 'value', t: 'string' },
  ],
} as const);

export const NetworkOptimisationType = complexType({
  name: 'NetworkOptimisation',
  fields: [
    { n: 'mRID', t: 'string' },
    { n: 'action', t: 'string', enum: NETWORK_ACTIONS, req: true },
    { n: 'Parameters', t: 'complex', type: NetworkParameterType, many: true },
    { n: 'EndDevices', t: 'complex', type: ObjectRefType, many: true },
    { n: 'status', t: 'complex', type: StatusType },
  ],
} as const);

export const NetworkOptimisationsType = complexType({
  name: 'NetworkOptimisations',
  fields: [{ n: 'NetworkOptimisation', t: 'complex', type: NetworkOptimisationType, many: true }],
} as const);
export type NetworkOptimisations = Infer<typeof NetworkOptimisationsType>;
