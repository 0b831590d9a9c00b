import { describeReadingType } from '@ami-interop/cim/codes';
import { cosemUnitTable, obisToReadingType } from '@ami-interop/cim/mapping';
import { usage } from '../cli-error.ts';
import type { Command, Group } from '../command.ts';

function integer(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw usage(`--${name} must be an integer, got '${v}'`);
  return Number(v);
}

/** A COSEM unit given as its code (30), its Blue Book symbol (Wh, V, A, varh) or its name (wattHour). */
function cosemUnit(v: string): number {
  if (/^\d+$/.test(v)) return Number(v);
  const code = cosemUnitTable.value(v) ?? cosemUnitTable.entries.find((e) => e.label === v)?.value;
  if (code === undefined) {
    throw usage(
      `unknown COSEM unit '${v}' (give its code, its symbol such as Wh, V, A, W, varh, or its name)`,
    );
  }
  return code;
}

function readingTypeCommand(): Command {
  return {
    name: 'reading-type',
    summary: 'describe a ReadingType mRID, or map an OBIS code with its unit and scaler to one',
    args: '[<mRID>]',
    options: {
      obis: { type: 'string', valueName: 'OBIS', description: 'OBIS code (1.0.1.8.0.255 or 1-0:1.8.0*255)' },
      unit: {
        type: 'string',
        valueName: 'UNIT',
        description: 'COSEM unit of the object: a name (Wh, V, A…) or code (30)',
      },
      scaler: {
        type: 'string',
        valueName: 'N',
        description: 'scaler of the object (power of ten), default 0',
      },
      period: {
        type: 'string',
        valueName: 'SECONDS',
        description: 'capture or demand-integration period in seconds (0 or absent: a register)',
      },
      billing: { type: 'boolean', description: 'the value is a billing-period snapshot' },
      primary: { type: 'boolean', description: 'values are primary metered (CT/VT ratios applied)' },
    },
    details: [
      'Examples:',
      '  ami cim reading-type 0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0',
      '  ami cim reading-type --obis 1.0.1.8.0.255 --unit Wh --scaler 3',
      '  ami cim reading-type --obis 1.0.1.29.0.255 --unit Wh --period 900 --json',
    ].join('\n'),
    run(ctx) {
      const obis = ctx.values.obis as string | undefined;
      const [mrid, extra] = ctx.positionals;
      if (extra !== undefined) throw usage(`unexpected argument '${extra}'`);
      if (obis === undefined) {
        if (mrid === undefined) throw usage('give a ReadingType mRID, or --obis with --unit');
        const d = describeReadingType(mrid);
        if (ctx.json) ctx.emit(d);
        else {
          const fields = Object.fromEntries(
            d.fields.map((f) => [f.field, `${f.value}${f.name ? ` ${f.name}` : ''} (${f.meaning})`]),
          );
          ctx.emit(fields, `${d.mRID}: ${d.text}`);
        }
        return 0;
      }
      if (mrid !== undefined) throw usage('give either a mRID or --obis, not both');
      const unit = ctx.values.unit as string | undefined;
      if (unit === undefined) throw usage('--obis needs --unit (the COSEM unit of the object)');
      const input: Parameters<typeof obisToReadingType>[0] = {
        obis,
        unit: cosemUnit(unit),
        scaler: integer('scaler', ctx.values.scaler as string | undefined) ?? 0,
        period: integer('period', ctx.values.period as string | undefined) ?? 0,
        billing: ctx.values.billing === true,
        primaryMetered: ctx.values.primary === true,
      };
      const m = obisToReadingType(input);
      const d = describeReadingType(m.mRID);
      if (ctx.json) ctx.emit({ ...m, description: d.text });
      else {
        const body: Record<string, unknown> = { readingType: d.text, exact: m.exact };
        if (m.notes.length > 0) body.notes = m.notes;
        ctx.emit(body, `${m.obis} → ${m.mRID}`);
      }
      return 0;
    },
  };
}

export function cimGroup(): Group {
  return {
    name: 'cim',
    summary: 'IEC 61968-9 messages in IEC 61968-100 envelopes: build, parse, validate, ReadingType codes',
    commands: [readingTypeCommand()],
  };
}
