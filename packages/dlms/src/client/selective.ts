/**
 * Selective access helpers for reading Profile Generic (class 7) buffers (attribute 2) with
 * {@link DlmsClient.get}: by date range (selector 1, a range descriptor on the clock column
 * 8/0.0.1.0.0.255/2) and by entry range (selector 2).
 *
 * ```ts
 * const rows = await client.get({ classId: 7, obis: '1.0.99.1.0.255', attribute: 2 },
 *   { selectiveAccess: byDateRange(new Date('2025-01-01T00:00:00Z'), new Date('2025-01-02T00:00:00Z')) });
 * ```
 *
 * @module
 */
import {
  type CaptureObjectDefinition,
  clockRangeDescriptor,
  entryDescriptor,
  type SelectiveAccessDescriptor,
} from '../apdu/selective-access.ts';
import { type CosemDateTime, cosemDateTimeFromDate } from '../axdr/datetime.ts';

function dt(x: Date | CosemDateTime, deviation: number | undefined): CosemDateTime {
  return x instanceof Date ? cosemDateTimeFromDate(x, deviation ?? 0) : x;
}

/**
 * Rows whose clock is between `from` and `to` (inclusive, as the meter compares them). Dates are sent as
 * COSEM date-times; `deviation` is the COSEM deviation in minutes (local time = UTC − deviation, so IST is
 * −330; default 0, UTC), applied when a `Date` is given.
 */
export function byDateRange(
  from: Date | CosemDateTime,
  to: Date | CosemDateTime,
  options: { columns?: CaptureObjectDefinition[]; deviation?: number } = {},
): SelectiveAccessDescriptor {
  return clockRangeDescriptor(dt(from, options.deviation), dt(to, options.deviation), options.columns ?? []);
}

/** Rows `fromEntry`..`toEntry` (1-based; `toEntry` 0 = the last), all columns unless given. */
export function byEntryRange(
  fromEntry: number,
  toEntry: number,
  columns: { from?: number; to?: number } = {},
): SelectiveAccessDescriptor {
  return entryDescriptor({
    fromEntry,
    toEntry,
    fromSelectedValue: columns.from ?? 1,
    toSelectedValue: columns.to ?? 0,
  });
}
