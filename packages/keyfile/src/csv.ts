/**
 * The manufacturer's meter list as CSV (RFC 4180: comma-separated, `"` quoting with `""` escapes,
 * CRLF or LF line ends), the input of `ami keyfile seal --meters meters.csv`.
 *
 * Required header columns (any order): `serial,system_title,guek,gak,mk,lls_secret,hls_us_secret,hls_fw_secret`
 * (hex for keys and the system title, text for the secrets, taken as UTF-8 bytes; an empty secret cell
 * means "none"). Known optional columns: `device_id`, `manufacturer`, `meter_type`, `category`, `gbek`
 * (hex), and invocation counters `ic_<clientSap>` (decimal, e.g. `ic_48`, `ic_80`). Any other column goes
 * to the record's `extra` map under its header name.
 *
 * @module
 */
import { KeyfileError } from './errors.ts';
import { fromHex, setOwn, utf8 } from './internal/bytes.ts';
import type { MeterRecord } from './record.ts';
import { SecretBytes } from './secret.ts';

export const CSV_REQUIRED_COLUMNS = [
  'serial',
  'system_title',
  'guek',
  'gak',
  'mk',
  'lls_secret',
  'hls_us_secret',
  'hls_fw_secret',
] as const;
const OPTIONAL_TEXT: Record<string, 'deviceId' | 'manufacturer' | 'meterType' | 'category'> = {
  device_id: 'deviceId',
  manufacturer: 'manufacturer',
  meter_type: 'meterType',
  category: 'category',
};

/** A push parser of CSV text into rows (arrays of cells); quoted cells may span lines. */
export class CsvRowParser {
  private cell = '';
  private row: string[] = [];
  private quoted = false;
  private afterQuote = false;
  private cellStarted = false;
  line = 1;

  /** Feeds text; returns the rows it completed. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.quoted) {
        if (c === '"') {
          this.quoted = false;
          this.afterQuote = true;
        } else {
          if (c === '\n') this.line++;
          this.cell += c;
        }
        continue;
      }
      if (c === '"') {
        if (this.afterQuote) {
          this.cell += '"'; // "" inside quotes
          this.quoted = true;
          this.afterQuote = false;
        } else if (!this.cellStarted) {
          this.quoted = true;
          this.cellStarted = true;
        } else
          throw new KeyfileError('INVALID_ARGUMENT', `CSV line ${this.line}: quote inside an unquoted cell`);
        continue;
      }
      if (c === ',') {
        this.row.push(this.cell);
        this.cell = '';
        this.afterQuote = false;
        this.cellStarted = false;
        continue;
      }
      if (c === '\r') continue;
      if (c === '\n') {
        this.row.push(this.cell);
        if (!(this.row.length === 1 && this.row[0] === '')) rows.push(this.row);
        this.row = [];
        this.cell = '';
        this.afterQuote = false;
        this.cellStarted = false;
        this.line++;
        continue;
      }
      if (this.afterQuote)
        throw new KeyfileError('INVALID_ARGUMENT', `CSV line ${this.line}: text after a closing quote`);
      this.cell += c;
      this.cellStarted = true;
    }
    return rows;
  }

  /** Ends the input; returns the last row if the text did not end with a line break. */
  end(): string[][] {
    if (this.quoted)
      throw new KeyfileError('INVALID_ARGUMENT', `CSV line ${this.line}: unterminated quoted cell`);
    const rows = this.push('\n');
    return rows;
  }
}

/** Turns CSV rows (header first) into meter records, one at a time. */
export class MetersCsvReader {
  private columns: string[] | undefined;
  private readonly index = new Map<string, number>();
  private readonly parser = new CsvRowParser();
  private rowNo = 0;

  /** Feeds CSV text; returns the meters of the rows it completed. */
  push(text: string): MeterRecord[] {
    return this.rows(this.parser.push(text));
  }

  end(): MeterRecord[] {
    const out = this.rows(this.parser.end());
    if (!this.columns) throw new KeyfileError('INVALID_ARGUMENT', 'CSV: no header line');
    return out;
  }

  private rows(rows: string[][]): MeterRecord[] {
    const out: MeterRecord[] = [];
    for (const row of rows) {
      this.rowNo++;
      if (!this.columns) {
        this.columns = row.map((c) => c.trim().toLowerCase());
        this.columns.forEach((c, i) => {
          if (this.index.has(c))
            throw new KeyfileError('INVALID_ARGUMENT', `CSV: column "${c}" appears twice`);
          this.index.set(c, i);
        });
        for (const c of CSV_REQUIRED_COLUMNS)
          if (!this.index.has(c)) throw new KeyfileError('INVALID_ARGUMENT', `CSV: missing column "${c}"`);
        continue;
      }
      if (row.length !== this.columns.length)
        throw new KeyfileError(
          'INVALID_ARGUMENT',
          `CSV row ${this.rowNo}: ${row.length} cells, header has ${this.columns.length}`,
        );
      out.push(this.meter(row));
    }
    return out;
  }

  private meter(row: string[]): MeterRecord {
    const cols = this.columns!;
    const get = (c: string): string => row[this.index.get(c)!]!.trim();
    const where = `CSV row ${this.rowNo}`;
    const key = (c: string): SecretBytes => {
      const b = fromHex(get(c), `${where}: ${c}`);
      const s = new SecretBytes(b);
      b.fill(0);
      return s;
    };
    const textSecret = (c: string): SecretBytes | undefined => {
      const v = row[this.index.get(c)!]!;
      if (v === '') return undefined;
      const b = utf8(v);
      const s = new SecretBytes(b);
      b.fill(0);
      return s;
    };
    const m: MeterRecord = {
      serial: get('serial'),
      systemTitle: fromHex(get('system_title'), `${where}: system_title`),
      keys: { guek: key('guek'), gak: key('gak'), mk: key('mk') },
      secrets: {},
      invocationCounters: [],
      firmware: [],
      extra: {},
    };
    const lls = textSecret('lls_secret');
    const us = textSecret('hls_us_secret');
    const fw = textSecret('hls_fw_secret');
    if (lls) m.secrets.lls = lls;
    if (us) m.secrets.hlsUs = us;
    if (fw) m.secrets.hlsFw = fw;
    for (const c of cols) {
      if ((CSV_REQUIRED_COLUMNS as readonly string[]).includes(c)) continue;
      const v = get(c);
      if (Object.hasOwn(OPTIONAL_TEXT, c)) {
        if (v !== '') m[OPTIONAL_TEXT[c]!] = v;
      } else if (c === 'gbek') {
        if (v !== '') m.keys.gbek = key('gbek');
      } else if (/^ic_\d+$/.test(c)) {
        if (v === '') continue;
        if (!/^\d+$/.test(v) || Number(v) > 0xffffffff)
          throw new KeyfileError('INVALID_ARGUMENT', `${where}: ${c} must be a u32 decimal`);
        m.invocationCounters.push({ clientSap: Number(c.slice(3)), counter: Number(v) });
      } else setOwn(m.extra, c, row[this.index.get(c)!]!);
    }
    m.invocationCounters.sort((a, b) => a.clientSap - b.clientSap);
    return m;
  }
}

/** Parses a whole meters CSV text. */
export function parseMetersCsv(text: string): MeterRecord[] {
  const r = new MetersCsvReader();
  const out = r.push(text);
  out.push(...r.end());
  return out;
}

/** Parses a meters CSV from a stream of text pieces, yielding meters one by one (bounded memory). */
export async function* parseMetersCsvStream(
  source: Iterable<string> | AsyncIterable<string>,
): AsyncGenerator<MeterRecord, void, undefined> {
  const r = new MetersCsvReader();
  for await (const piece of source) yield* r.push(piece);
  yield* r.end();
}
