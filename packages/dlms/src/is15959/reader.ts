/**
 * Reading IS 15959 profiles through any session: functions here take an {@link AttributeReader}, the one
 * method they need of a client (`get(ref) → Data`), so a `DlmsClient`, a test double or an object set
 * all plug in.
 *
 * ```ts
 * const rows = await readProfileRows(client, catalogue.profiles.blockLoad);
 * ```
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import type { CosemContext, CosemObjectLookup } from '../cosem/object.ts';
import { DlmsError } from '../errors.ts';
import { type Obis, parseObis } from '../obis/index.ts';
import type { ProfileDef } from './catalogue.ts';
import { profileRows, type Row } from './rows.ts';

/** A COSEM attribute reference, as `DlmsClient.get` takes it. */
export interface AttributeRef {
  classId: number;
  obis: Obis | string;
  attribute: number;
}

/** What these functions need of a session. `DlmsClient` satisfies it. */
export interface AttributeReader {
  get(ref: AttributeRef): Promise<Data> | Data;
}

/** Reads a profile's capture objects, buffer and scaler profile, and returns its typed rows. */
export async function readProfileRows(
  reader: AttributeReader,
  profile: Pick<ProfileDef, 'obis' | 'scalerProfile'>,
  options: { defaultDeviation?: number } = {},
): Promise<Row[]> {
  const captureObjects = await reader.get({ classId: 7, obis: profile.obis, attribute: 3 });
  const buffer = await reader.get({ classId: 7, obis: profile.obis, attribute: 2 });
  let scalerUnits: { captureObjects: Data; buffer: Data } | undefined;
  if (profile.scalerProfile) {
    scalerUnits = {
      captureObjects: await reader.get({ classId: 7, obis: profile.scalerProfile, attribute: 3 }),
      buffer: await reader.get({ classId: 7, obis: profile.scalerProfile, attribute: 2 }),
    };
  }
  return profileRows({ captureObjects, buffer, scalerUnits, defaultDeviation: options.defaultDeviation });
}

/**
 * An {@link AttributeReader} over server objects directly (no association, no access rights): for tests,
 * demos and a simulated meter's own views.
 */
export function objectSetReader(objects: CosemObjectLookup, ctx: CosemContext): AttributeReader {
  return {
    get(ref) {
      const o = objects.findByName(parseObis(ref.obis));
      if (!o || o.classId !== ref.classId) {
        throw new DlmsError('INVALID_ARGUMENT', `no object class ${ref.classId} ${String(ref.obis)}`);
      }
      return o.get(ref.attribute, { ...ctx, objects });
    },
  };
}
