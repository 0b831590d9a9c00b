import { describe, expect, it } from 'vitest';
import { bitStringFromBits } from '../src/axdr/index.ts';
import type { CaptureObjectDefinition } from '../src/cosem/index.ts';
import { fromHex } from '../src/internal/hex.ts';
import {
  decodeEsw,
  EVENT_CODES,
  EVENT_LOG_IDS,
  eswMasked,
  eventCodeInfo,
  eventsFromRows,
  is15959Catalogue,
  pairEpisodes,
  profileRows,
} from '../src/is15959/index.ts';
import { parseObis } from '../src/obis/index.ts';

describe('event codes', () => {
  it('covers the seven logs with the reference table', () => {
    const byLog = new Map<string, number[]>();
    for (const i of EVENT_CODES.values()) byLog.set(i.log, [...(byLog.get(i.log) ?? []), i.code]);
    expect([...byLog.keys()].sort()).toEqual([...EVENT_LOG_IDS].sort());
    expect(byLog.get('voltageEvents')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(byLog.get('powerEvents')).toEqual([101, 102]);
    expect(byLog.get('nonRolloverEvents')).toEqual([251]);
    expect(byLog.get('controlEvents')).toEqual([301, 302]);
    expect(byLog.get('transactionEvents')).not.toContain(156);
    expect(eventCodeInfo(9)).toMatchObject({
      name: 'Low voltage (occurrence)',
      kind: 'occurrence',
      pair: 10,
    });
    expect(eventCodeInfo(10)).toMatchObject({ name: 'Low voltage restored', kind: 'restoration', pair: 9 });
    expect(eventCodeInfo(151)).toMatchObject({ name: 'Real time clock set', kind: 'single' });
    expect(eventCodeInfo(69)?.mark).toBe('O');
    expect(eventCodeInfo(999)).toBeUndefined();
  });
});

describe('pairEpisodes', () => {
  it('pairs occurrences with restorations into episodes with durations', () => {
    const r = pairEpisodes([
      { timestamp: '2024-03-15T10:00:00+05:30', code: 9 },
      { timestamp: '2024-03-15T10:05:00+05:30', code: 201 },
      { timestamp: '2024-03-15T10:20:30+05:30', code: 10 },
      { timestamp: '2024-03-15T11:00:00+05:30', code: 151 },
      { timestamp: '2024-03-15T12:00:00+05:30', code: 777 },
    ]);
    expect(r.episodes).toEqual([
      {
        code: 9,
        name: 'Low voltage',
        log: 'voltageEvents',
        start: '2024-03-15T10:00:00+05:30',
        end: '2024-03-15T10:20:30+05:30',
        durationSeconds: 1230,
      },
      {
        code: 201,
        name: 'Magnet influence',
        log: 'otherEvents',
        start: '2024-03-15T10:05:00+05:30',
        end: undefined,
        durationSeconds: undefined,
      },
    ]);
    expect(r.singles).toEqual([
      {
        timestamp: '2024-03-15T11:00:00+05:30',
        code: 151,
        name: 'Real time clock set',
        log: 'transactionEvents',
      },
    ]);
    expect(r.unknown).toEqual([{ timestamp: '2024-03-15T12:00:00+05:30', code: 777 }]);
  });

  it('orders by time, keeps repeats apart, and keeps a restoration whose occurrence rolled out', () => {
    const r = pairEpisodes([
      { timestamp: '2024-03-15T12:00:00Z', code: 102 },
      { timestamp: '2024-03-15T09:00:00Z', code: 102 },
      { timestamp: '2024-03-15T11:00:00Z', code: 101 },
      { timestamp: '2024-03-15T11:30:00Z', code: 101 },
      { timestamp: '2024-03-15T13:00:00Z', code: 102 },
    ]);
    expect(r.episodes.map((e) => [e.start, e.end, e.durationSeconds])).toEqual([
      [undefined, '2024-03-15T09:00:00Z', undefined],
      ['2024-03-15T11:00:00Z', '2024-03-15T12:00:00Z', 3600],
      ['2024-03-15T11:30:00Z', '2024-03-15T13:00:00Z', 5400],
    ]);
  });

  it('works on typed event-log rows', () => {
    const cat = is15959Catalogue({ part: 2, phases: 1 });
    const cols = cat.profiles.powerEvents.columns;
    const captureObjects: CaptureObjectDefinition[] = cols.map((c) => ({
      classId: c.classId,
      logicalName: parseObis(c.obis),
      attributeIndex: c.attribute,
      dataIndex: 0,
    }));
    const rows = profileRows({
      captureObjects,
      buffer: [
        [
          { type: 'octet-string', value: fromHex('07E8030F050A000000FEB600') },
          { type: 'long-unsigned', value: 101 },
        ],
        [
          { type: 'octet-string', value: fromHex('07E8030F050A1E0000FEB600') },
          { type: 'long-unsigned', value: 102 },
        ],
      ],
    });
    expect(rows[0]).toEqual({ timestamp: '2024-03-15T10:00:00+05:30', eventCode: 101 });
    const events = eventsFromRows(rows);
    expect(events.map((e) => e.name)).toEqual(['Power failure (occurrence)', 'Power failure restored']);
    expect(pairEpisodes(events).episodes).toEqual([
      {
        code: 101,
        name: 'Power failure',
        log: 'powerEvents',
        start: '2024-03-15T10:00:00+05:30',
        end: '2024-03-15T10:30:00+05:30',
        durationSeconds: 1800,
      },
    ]);
  });
});

describe('event status word', () => {
  it('names bits with bit 0 = MSB of the first byte', () => {
    // 0x80 → bit 0; 0x10 in byte 1 → bit 11; byte 10 = 0x40 → bit 81 (magnet); byte 15 = 0x01 → bit 127.
    const bytes = fromHex('80100000000000000000400000000001');
    const esw = decodeEsw({ length: 128, bytes });
    expect(esw.length).toBe(128);
    expect(esw.set).toEqual([
      { bit: 0, name: 'R-phase voltage missing', known: true },
      { bit: 11, name: 'Over current', known: true },
      { bit: 81, name: 'Magnet influence', known: true },
      { bit: 127, name: 'bit127', known: false },
    ]);
    expect(esw.bits[0]).toBe('1');
    expect(esw.bits.length).toBe(128);
  });

  it('masks the ESW with the ESWF (filter bit 1 = pushed)', () => {
    const esw = bitStringFromBits(`${'1'.repeat(13)}${'0'.repeat(115)}`);
    const eswf = bitStringFromBits(`${'01'.repeat(64)}`);
    expect(eswMasked(esw, eswf)).toEqual([1, 3, 5, 7, 9, 11]);
  });
});
