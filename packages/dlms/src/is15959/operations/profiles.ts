/**
 * Typed profile reads over a live session, with selective access: `readProfile(client, 'blockLoad',
 * { from, to })` reads the capture objects, the buffer restricted to the date range (Profile generic
 * selective access by range, on the clock column) and the scaler profile, and returns rows with units
 * (see `profileRows`). `readEvents` reads the seven IS 15959 event logs.
 *
 * @module
 */

import type { SelectiveAccessDescriptor } from '../../apdu/selective-access.ts';
import type { Data } from '../../axdr/types.ts';
import { byDateRange, byEntryRange } from '../../client/selective.ts';
import { DlmsError } from '../../errors.ts';
import type { Obis } from '../../obis/index.ts';
import { EVENT_LOG_IDS, type Is15959Catalogue, type ProfileId } from '../catalogue.ts';
import { profileRows, type Row } from '../rows.ts';

/** What a profile read needs of a session: GET with optional selective access. `DlmsClient` satisfies it. */
export interface ProfileClient {
  get(
    ref: { classId: number; obis: Obis | string; attribute: number },
    options?: { selectiveAccess?: SelectiveAccessDescriptor },
  ): Promise<Data>;
}

export interface ReadProfileOptions {
  /** Rows captured at or after this instant (with `to`: by date range on the clock column). */
  from?: Date;
  to?: Date;
  /** Or by entry range (1-based, inclusive). */
  fromEntry?: number;
  toEntry?: number;
  /** The meter's deviation for the range's date-times (default −330, IST). */
  deviation?: number;
}

/** Reads one profile of the catalogue as typed rows (see the module doc). */
export async function readProfile(
  client: ProfileClient,
  catalogue: Is15959Catalogue,
  kind: ProfileId,
  options: ReadProfileOptions = {},
): Promise<Row[]> {
  const p = catalogue.profiles[kind];
  if (!p) throw new DlmsError('INVALID_ARGUMENT', `unknown profile '${String(kind)}'`);
  const deviation = options.deviation ?? -330;
  let selectiveAccess: SelectiveAccessDescriptor | undefined;
  if (options.from !== undefined || options.to !== undefined) {
    const from = options.from ?? new Date(0);
    const to = options.to ?? new Date(Date.UTC(2099, 11, 31));
    if (from.getTime() > to.getTime()) throw new DlmsError('INVALID_ARGUMENT', 'from is after to');
    selectiveAccess = byDateRange(from, to, { deviation });
  } else if (options.fromEntry !== undefined) {
    selectiveAccess = byEntryRange(options.fromEntry, options.toEntry ?? 0);
  }
  const captureObjects = await client.get({ classId: 7, obis: p.obis, attribute: 3 });
  const buffer = await client.get(
    { classId: 7, obis: p.obis, attribute: 2 },
    selectiveAccess ? { selectiveAccess } : {},
  );
  let scalerUnits: { captureObjects: Data; buffer: Data } | undefined;
  if (p.scalerProfile) {
    scalerUnits = {
      captureObjects: await client.get({ classId: 7, obis: p.scalerProfile, attribute: 3 }),
      buffer: await client.get({ classId: 7, obis: p.scalerProfile, attribute: 2 }),
    };
  }
  return profileRows({ captureObjects, buffer, scalerUnits, defaultDeviation: deviation });
}

/** Every event log, by log id (`voltageEvents` …), as typed rows. */
export async function readEvents(
  client: ProfileClient,
  catalogue: Is15959Catalogue,
  options: ReadProfileOptions = {},
): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const id of EVENT_LOG_IDS) out[id] = await readProfile(client, catalogue, id, options);
  return out;
}
