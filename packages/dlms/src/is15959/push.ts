/**
 * Reception of IS 15959 pushes: the data-notification APDUs a meter sends on its Push association
 * (client SAP 64), plain or protected, into the same typed rows as a profile read.
 *
 * ```text
 * Data-Notification ::= SEQUENCE { long-invoke-id-and-priority, date-time OCTET STRING, notification-body Data }
 * IS 15959 body [C]: structure { device ID (0.0.96.1.2 attr 2), push setup logical name (octet-string 6),
 *                                clock (octet-string 12), …values }
 *   instantaneous push 0.0.25.9.0.255: values = the instantaneous profile's columns (after its clock)
 *   alert push         0.4.25.9.0.255: values = { ESW bit-string(128) }
 *   block load 0.5.25.9.0.255, daily 0.6.25.9.0.255 [O]; billing 0.103 or 0.132.25.9.0.255 [O]
 * ```
 *
 * **Mapping.** The push setup's logical name (the body's second element) selects a {@link PushProfileMapping};
 * the defaults come from the catalogue's push setups for the variant, and `options.mapping` adds to or
 * overrides them. Values after the clock are named, in order, by the mapping's `pushObjectList` when given
 * (the push setup's attribute 2 as read from the meter: the authoritative list, naming every body element),
 * else by the profile's catalogue columns without its leading clock. A body whose fourth and last element is
 * an array of structures is a pushed profile buffer: its rows are decoded with the profile's capture objects.
 * A body whose length does not match the mapping is `MALFORMED` (naming by position would give wrong
 * names); pass the meter's `pushObjectList` for meters that push other lists.
 *
 * **Protection.** data-notification has no service-specific glo-/ded- tag (IEC 62056-5-3), so a protected
 * push is general-glo-ciphering (`DB`), general-ded-ciphering (`DC`) or general-ciphering (`DD`); it is
 * unprotected with `/security`'s `unprotectApdu` and the Push association's keys. A wrong key or tampered
 * APDU is `AUTHENTICATION_FAILED`. Accepted policies default to those with authentication; pass
 * `acceptPolicies: ['enc']` for meters that only encrypt (then a wrong key cannot be detected by GCM and
 * shows as a `MALFORMED` plaintext).
 *
 * @module
 */
import { decodeXdlmsApdu } from '../apdu/index.ts';
import { bitStringToBits } from '../axdr/bitstring.ts';
import type { Data } from '../axdr/types.ts';
import type { CaptureObjectDefinition } from '../cosem/common.ts';
import { DlmsError, withPath } from '../errors.ts';
import { toHex } from '../internal/hex.ts';
import { formatObis, parseObis } from '../obis/index.ts';
import { type SecurityKeys, unprotectApdu } from '../security/ciphered-apdu.ts';
import type { SecurityPolicy } from '../security/control.ts';
import { GENERAL_CIPHERING, GENERAL_DED_CIPHERING, GENERAL_GLO_CIPHERING } from '../security/tags.ts';
import { type Is15959Catalogue, is15959Catalogue, type ProfileDef, type ProfileId } from './catalogue.ts';
import { decodeEsw, type EventStatusWord } from './events.ts';
import { objectDef } from './objects.ts';
import {
  type Cell,
  cellOf,
  dateTimeCell,
  describeColumns,
  type Missing,
  type Row,
  rowsOf,
  type ScalerUnitsInput,
} from './rows.ts';
import type { Is15959Variant, Is15959VariantInput } from './variant.ts';

export interface PushProfileMapping {
  readonly profile: ProfileId | 'alert';
  /** The push setup's push_object_list (attribute 2) as configured in the meter: names every body element. */
  readonly pushObjectList?: readonly CaptureObjectDefinition[] | undefined;
  /** Capture objects of a pushed profile buffer (default: the catalogue's columns of `profile`). */
  readonly captureObjects?: readonly CaptureObjectDefinition[] | undefined;
}

export interface DecodePushOptions {
  /** The Push association's keys (`ek` the global unicast key, `ak` the authentication key). */
  readonly keys?: SecurityKeys | undefined;
  /** The meter's system title, when known (must match the one the APDU carries). */
  readonly systemTitle?: Uint8Array | undefined;
  /** Default `['auth', 'auth+enc']`. */
  readonly acceptPolicies?: readonly SecurityPolicy[] | undefined;
  /** Replay check, called with the invocation counter after authentication (see `/security`). */
  readonly counterCheck?: ((invocationCounter: number, systemTitle: Uint8Array) => void) | undefined;
  /** Default `{ part: 2, phases: 1 }`. */
  readonly variant?: Is15959VariantInput | Is15959Variant | undefined;
  /** A catalogue built once (`is15959Catalogue(variant)`), for callers decoding many pushes; wins over `variant`. */
  readonly catalogue?: Is15959Catalogue | undefined;
  /** Push setup logical name (dotted) → mapping, over the catalogue's defaults. */
  readonly mapping?: Readonly<Record<string, PushProfileMapping>> | undefined;
  readonly scalerUnits?: ScalerUnitsInput | undefined;
  readonly defaultDeviation?: number | undefined;
}

export interface PushSecurityInfo {
  readonly kind: string;
  readonly invocationCounter: number;
  /** The sender's system title, hex. */
  readonly systemTitle: string;
}

export interface PushReading {
  /** The push setup's logical name, dotted. */
  readonly pushSetup: string;
  readonly profile: ProfileId | 'alert' | 'unknown';
  readonly deviceId: Cell;
  /** The body's clock (ISO) or why it is missing. */
  readonly timestamp: string | Missing;
  /** The APDU's own date-time, when it carries one. */
  readonly notificationTime: string | Missing | undefined;
  readonly longInvokeId: number;
  /** The pushed values as typed rows: one row for an instantaneous push, the buffer's rows for a pushed profile. */
  readonly rows: Row[];
  /** The alert push's event status word. */
  readonly esw: EventStatusWord | undefined;
  readonly security: PushSecurityInfo | undefined;
  /** The notification body as received. */
  readonly body: Data;
}

const DEFAULT_POLICIES: readonly SecurityPolicy[] = ['auth', 'auth+enc'];

/** The capture objects of a profile's catalogue columns. */
export function profileCaptureObjects(profile: ProfileDef): CaptureObjectDefinition[] {
  return profile.columns.map((c) => ({
    classId: c.classId,
    logicalName: parseObis(c.obis),
    attributeIndex: c.attribute,
    dataIndex: 0,
  }));
}

/** Decodes one pushed APDU (see the module doc). */
export function decodePush(apdu: Uint8Array, options: DecodePushOptions = {}): PushReading {
  if (!(apdu instanceof Uint8Array))
    throw new DlmsError('INVALID_ARGUMENT', 'decodePush expects a Uint8Array');
  if (apdu.length === 0) throw new DlmsError('INCOMPLETE', 'empty push APDU', { offset: 0 });
  let plain: Uint8Array = apdu;
  let security: PushSecurityInfo | undefined;
  const tag = apdu[0]!;
  if (tag === GENERAL_GLO_CIPHERING || tag === GENERAL_DED_CIPHERING || tag === GENERAL_CIPHERING) {
    if (!options.keys) {
      throw new DlmsError(
        'INVALID_ARGUMENT',
        'the push is protected: pass the Push association keys in options.keys',
      );
    }
    const u = unprotectApdu(apdu, options.keys, {
      systemTitle: options.systemTitle,
      acceptPolicies: options.acceptPolicies ?? DEFAULT_POLICIES,
      counterCheck: options.counterCheck,
    });
    plain = u.plain;
    security = { kind: u.kind, invocationCounter: u.invocationCounter, systemTitle: toHex(u.systemTitle) };
  } else if (tag !== 0x0f) {
    throw new DlmsError(
      'MALFORMED',
      `a push is a data-notification (0x0F) or a ciphered one, got tag 0x${tag.toString(16).padStart(2, '0')}`,
      {
        offset: 0,
      },
    );
  }
  const x = decodeXdlmsApdu(plain);
  if (x.type !== 'data-notification') {
    throw new DlmsError('MALFORMED', `the protected APDU is ${x.type}, not a data-notification`);
  }
  const defaultDeviation = options.defaultDeviation ?? -330;
  const body = x.notificationBody;
  const reading = withPath('notificationBody', () => readBody(body, options, defaultDeviation));
  return {
    ...reading,
    notificationTime: x.dateTime === undefined ? undefined : dateTimeCell(x.dateTime, defaultDeviation),
    longInvokeId: x.longInvokeIdAndPriority.longInvokeId,
    security,
    body,
  };
}

type BodyReading = Pick<PushReading, 'pushSetup' | 'profile' | 'deviceId' | 'timestamp' | 'rows' | 'esw'>;

function malformed(message: string, path?: (string | number)[]): never {
  throw new DlmsError('MALFORMED', message, path ? { path } : {});
}

function readBody(body: Data, options: DecodePushOptions, defaultDeviation: number): BodyReading {
  if (body.type !== 'structure' || body.value.length < 3) {
    malformed('an IS 15959 push body is a structure { device ID, push setup logical name, clock, …values }');
  }
  const v = body.value;
  const ln = v[1]!;
  if (ln.type !== 'octet-string' || ln.value.length !== 6) {
    malformed(`element 2 must be the push setup logical name (octet-string of 6), got ${ln.type}`, [1]);
  }
  const pushSetup = formatObis(parseObis(ln.value));
  const catalogue = options.catalogue ?? is15959Catalogue(options.variant ?? { part: 2, phases: 1 });
  const defaults: Record<string, PushProfileMapping> = {};
  for (const p of catalogue.pushSetups) defaults[p.obis] = { profile: p.profile };
  const mapping = options.mapping?.[pushSetup] ?? defaults[pushSetup];
  const scalers = options.scalerUnits;
  const deviceId = cellOf(v[0]!, { def: objectDef('deviceId'), scalerUnit: undefined }, defaultDeviation);
  const clock = cellOf(v[2]!, { def: objectDef('timestamp'), scalerUnit: undefined }, defaultDeviation);
  const timestamp: string | Missing =
    typeof clock === 'string'
      ? clock
      : clock !== null && typeof clock === 'object' && 'reason' in clock
        ? clock
        : { value: null, reason: 'clock is not a date-time' };
  const base = { pushSetup, deviceId, timestamp };

  if (mapping?.pushObjectList) {
    const list = mapping.pushObjectList;
    if (list.length !== v.length) {
      malformed(`the body has ${v.length} elements, the push_object_list of ${pushSetup} ${list.length}`);
    }
    const columns = describeColumns(list, { scalerUnits: scalers });
    const row = rowsOf(columns, [v], defaultDeviation)[0]!;
    const eswCol = columns.findIndex((c) => c.def?.name === 'esw');
    const e = eswCol >= 0 ? v[eswCol]! : undefined;
    return {
      ...base,
      profile: mapping.profile,
      rows: [row],
      esw: e?.type === 'bit-string' ? decodeEsw(e.value) : undefined,
    };
  }
  if (!mapping) {
    // Unknown push setup: keep the values under generic names, nothing guessed.
    const row: Row = { timestamp };
    for (let i = 3; i < v.length; i++)
      row[`value${i - 2}`] = cellOf(v[i]!, { def: undefined, scalerUnit: undefined });
    return { ...base, profile: 'unknown', rows: [row], esw: undefined };
  }
  if (mapping.profile === 'alert') {
    const e = v[3];
    if (v.length !== 4 || e?.type !== 'bit-string') {
      malformed('the alert push body is { device ID, logical name, clock, ESW bit-string }', [3]);
    }
    const esw = decodeEsw(e.value);
    return { ...base, profile: 'alert', rows: [{ timestamp, esw: { bits: bitStringToBits(e.value) } }], esw };
  }
  const profile = catalogue.profiles[mapping.profile];
  const captureObjects = mapping.captureObjects ?? profileCaptureObjects(profile);
  const last = v[3];
  if (
    v.length === 4 &&
    last?.type === 'array' &&
    (last.value.length === 0 || last.value[0]!.type === 'structure')
  ) {
    const columns = describeColumns(captureObjects, { scalerUnits: scalers });
    const rows = withPath(3, () =>
      rowsOf(
        columns,
        last.value.map((r, i) =>
          r.type === 'structure' ? r.value : malformed(`buffer row ${i} is not a structure`, [i]),
        ),
        defaultDeviation,
      ),
    );
    return { ...base, profile: mapping.profile, rows, esw: undefined };
  }
  const clockFirst =
    captureObjects.length > 0 && formatObis(captureObjects[0]!.logicalName) === '0.0.1.0.0.255';
  const valueObjects = clockFirst ? captureObjects.slice(1) : captureObjects;
  if (v.length - 3 !== valueObjects.length) {
    malformed(
      `the ${mapping.profile} push of ${pushSetup} has ${v.length - 3} values, the mapping expects ${valueObjects.length}; pass the meter's push_object_list in options.mapping`,
    );
  }
  const columns = describeColumns(valueObjects, { scalerUnits: scalers });
  const values = rowsOf(columns, [v.slice(3)], defaultDeviation)[0]!;
  return { ...base, profile: mapping.profile, rows: [{ timestamp, ...values }], esw: undefined };
}
