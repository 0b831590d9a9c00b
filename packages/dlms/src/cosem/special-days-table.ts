/**
 * Interface class **Special days table** (class_id 11, version 0), IEC 62056-6-2 §4.5.4: days (holidays)
 * on which the Activity calendar uses another day profile than the week profile says.
 *
 * | attribute | type | |
 * |---|---|---|
 * | 1 logical_name | octet-string | static (0.0.11.0.0.255) |
 * | 2 entries | array of spec_day_entry | static |
 *
 * ```text
 * spec_day_entry ::= structure { index long-unsigned, specialday_date octet-string (SIZE(5)) date,
 *                                day_id unsigned }      -- day_id: a day profile of the Activity calendar
 * ```
 *
 * | method | parameter | |
 * |---|---|---|
 * | 1 insert | spec_day_entry | adds an entry; an entry with the same index is replaced |
 * | 2 delete | long-unsigned index | removes the entry with that index (none: success, nothing changes) |
 *
 * The date may hold wildcards (a year of 0xFFFF is a holiday every year). Entries are kept ordered by
 * index. Two entries with the same index in a written `entries` are refused (`other-reason`).
 *
 * @module
 */
import type { CosemDate } from '../axdr/datetime.ts';
import type { Data } from '../axdr/types.ts';
import { type Obis, obis } from '../obis/index.ts';
import { arrayOf, longUnsigned, struct, unsigned } from './codec.ts';
import { type CosemContext, CosemServerObject, defineClass, outOfRange } from './object.ts';
import { cosemDate, dateMatches, type LocalDay } from './time-codecs.ts';

export interface SpecialDayEntry {
  index: number;
  specialdayDate: CosemDate;
  dayId: number;
}

export interface SpecialDaysTableAttributes {
  entries: SpecialDayEntry[];
}

export interface SpecialDaysTableMethods {
  insert: SpecialDayEntry;
  delete: number;
}

export const specialDayEntry = /* @__PURE__ */ struct({
  index: longUnsigned,
  specialdayDate: cosemDate,
  dayId: unsigned,
});

export const SPECIAL_DAYS_TABLE_CLASS = /* @__PURE__ */ defineClass<
  SpecialDaysTableAttributes,
  SpecialDaysTableMethods
>({
  classId: 11,
  version: 0,
  name: 'Special days table',
  attributes: {
    entries: { id: 2, name: 'entries', codec: arrayOf(specialDayEntry), access: 'read-only' },
  },
  methods: {
    insert: { id: 1, name: 'insert', params: specialDayEntry, access: 'authenticated-access' },
    delete: { id: 2, name: 'delete', params: longUnsigned, access: 'authenticated-access' },
  },
});

/** The standard logical name, 0.0.11.0.0.255. */
export const SPECIAL_DAYS_TABLE_LN: Obis = /* @__PURE__ */ obis(0, 0, 11, 0, 0, 255);

export class SpecialDaysTableObject extends CosemServerObject<
  SpecialDaysTableAttributes,
  SpecialDaysTableMethods
> {
  constructor(logicalName: Obis | string = SPECIAL_DAYS_TABLE_LN, entries: SpecialDayEntry[] = []) {
    super(SPECIAL_DAYS_TABLE_CLASS, logicalName, { entries: sortByIndex(entries) });
  }

  /** The day_id of the first entry (by index) whose date matches the local day, or undefined. */
  dayIdFor(day: LocalDay): number | undefined {
    return this.values.entries.find((e) => dateMatches(e.specialdayDate, day))?.dayId;
  }

  protected override write(key: 'entries', value: SpecialDayEntry[], ctx: CosemContext): void {
    if (new Set(value.map((e) => e.index)).size !== value.length)
      throw outOfRange('entries', 'two entries with the same index');
    super.write(key, sortByIndex(value), ctx);
  }

  protected override invoke<K extends keyof SpecialDaysTableMethods & string>(
    key: K,
    params: SpecialDaysTableMethods[K],
    _ctx: CosemContext,
  ): Data | undefined {
    const v = this.values;
    if (key === 'insert') {
      const e = params as SpecialDayEntry;
      v.entries = sortByIndex([...v.entries.filter((x) => x.index !== e.index), e]);
    } else {
      v.entries = v.entries.filter((x) => x.index !== (params as number));
    }
    return undefined;
  }
}

function sortByIndex(e: SpecialDayEntry[]): SpecialDayEntry[] {
  return [...e].sort((a, b) => a.index - b.index);
}
