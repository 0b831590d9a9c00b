import { describeReadingType } from '@ami-interop/cim/codes';
import { type Edition, type Message, newMessageId, nowTimestamp, VERBS } from '@ami-interop/cim/envelope';
import { fromJson, fromJsonValue, toJson, toJsonValue } from '@ami-interop/cim/json';
import { cosemUnitTable, obisToReadingType } from '@ami-interop/cim/mapping';
import { PROFILES } from '@ami-interop/cim/profiles';
import { validateMessage } from '@ami-interop/cim/validate';
import { fromXml, toXml } from '@ami-interop/cim/xml';
import { CliError, usage } from '../cli-error.ts';
import type { Command, Context, Group } from '../command.ts';

/** The text of FILE, or of stdin when FILE is absent or `-`. */
async function readText(ctx: Context, file: string | undefined): Promise<string> {
  if (file !== undefined && file !== '-') return new TextDecoder().decode(ctx.io.readFile(file));
  const stdin = await ctx.io.readStdin();
  if (stdin === undefined) throw usage('no input: give a FILE, or pipe the message on stdin');
  return new TextDecoder().decode(stdin);
}

type UnknownElements = 'preserve' | 'keep' | 'skip';

/** `--unknown-elements`: the readers' `unknownElements` option (default preserve). */
function unknownElementsOption(value: unknown): UnknownElements {
  const v = (value as string | undefined) ?? 'preserve';
  if (v !== 'preserve' && v !== 'keep' && v !== 'skip')
    throw usage(`--unknown-elements takes preserve, keep or skip, not '${v}'`);
  return v;
}

/** Parses a 61968-100 message from XML or from its JSON form, chosen by the first character. */
function parseMessage(text: string, unknownElements: UnknownElements = 'preserve'): Message {
  const first = text.trimStart()[0];
  return first === '{' ? fromJson(text, { unknownElements }) : fromXml(text, { unknownElements });
}

/** Request verbs go in a RequestMessage, `reply` in a ResponseMessage, past-tense verbs in an EventMessage. */
function kindOfVerb(verb: string): 'RequestMessage' | 'ResponseMessage' | 'EventMessage' {
  if (verb === 'reply') return 'ResponseMessage';
  return /ed$/.test(verb) ? 'EventMessage' : 'RequestMessage';
}

function buildCommand(): Command {
  const nouns = [...new Set(PROFILES.map((p) => p.noun))];
  return {
    name: 'build',
    summary: 'build a 61968-100 message for a noun from JSON (a whole message, or just the profile content)',
    args: '<noun>',
    options: {
      from: { type: 'string', valueName: 'FORMAT', description: 'input format: json (the only one for now)' },
      file: { type: 'string', valueName: 'FILE', description: 'read the JSON from FILE (else stdin)' },
      verb: {
        type: 'string',
        valueName: 'VERB',
        description: 'the verb, when the input is only the profile content',
      },
      to: { type: 'string', valueName: 'FORMAT', description: 'xml (default) or json' },
      edition: {
        type: 'string',
        valueName: 'ED',
        description: 'ed1 (default, 2011 namespace) or ed2 (2021)',
      },
    },
    details: [
      `Nouns: ${nouns.join(', ')}.`,
      'Input is either a whole message in JSON form ({"EventMessage": {…}}, as `ami cim parse` prints it), or only',
      'the profile content ({"MeterReading": […]}) with --verb; then a Header is made (MessageID, Timestamp).',
      '',
      'Examples:',
      '  ami cim build MeterReadings --from json --file readings.json --verb created',
      '  ami cim parse message.xml | ami cim build MeterReadings --from json',
    ].join('\n'),
    async run(ctx) {
      const [noun, extra] = ctx.positionals;
      if (noun === undefined) throw usage(`give the noun (${nouns.join(', ')})`);
      if (extra !== undefined) throw usage(`unexpected argument '${extra}'`);
      const from = (ctx.values.from as string | undefined) ?? 'json';
      if (from !== 'json') throw usage('--from takes json');
      const to = (ctx.values.to as string | undefined) ?? 'xml';
      if (to !== 'xml' && to !== 'json') throw usage('--to takes xml or json');
      const edition = (ctx.values.edition as string | undefined) ?? 'ed1';
      if (edition !== 'ed1' && edition !== 'ed2') throw usage('--edition takes ed1 or ed2');
      const text = await readText(ctx, ctx.values.file as string | undefined);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new CliError(`not JSON: ${(e as Error).message}`);
      }
      const isMessage =
        typeof value === 'object' &&
        value !== null &&
        ['RequestMessage', 'ResponseMessage', 'EventMessage', 'FaultMessage'].some((k) => k in value);
      let message: Message;
      if (isMessage) {
        message = fromJsonValue(value);
        const got = 'Header' in message ? message.Header.Noun : undefined;
        if (got !== undefined && got !== noun)
          throw new CliError(`the message's noun is ${got}, not ${noun}`);
      } else {
        // Header.Noun is a free string in the schema; building from bare content needs a profile we know.
        if (!nouns.includes(noun)) throw usage(`unknown noun '${noun}' (known: ${nouns.join(', ')})`);
        const verb = ctx.values.verb as string | undefined;
        if (verb === undefined) throw usage('the input is not a whole message: give --verb');
        if (!(VERBS as readonly string[]).includes(verb))
          throw usage(`unknown verb '${verb}' (${VERBS.join(', ')})`);
        const kind = kindOfVerb(verb);
        const def = PROFILES.find((p) => p.noun === noun && p.slot === 'payload');
        if (!def) throw usage(`${noun} is carried in a Request; give a whole message`);
        const header = {
          Verb: verb,
          Noun: noun,
          Timestamp: nowTimestamp(),
          Source: 'ami-interop',
          MessageID: newMessageId(),
        };
        const body = { Header: header, Payload: { [def.element]: value } } as Record<string, unknown>;
        if (kind === 'ResponseMessage') body.Reply = { Result: 'OK' };
        message = fromJsonValue({ [kind]: body });
      }
      const violations = validateMessage(message);
      if (violations.length > 0) {
        const v = violations[0]!;
        throw new CliError(`${violations.length} violation(s); first: [${v.code}] ${v.path}: ${v.message}`);
      }
      ctx.io.out(
        to === 'xml' ? `${toXml(message, { edition: edition as Edition })}\n` : `${toJson(message)}\n`,
      );
      return 0;
    },
  };
}

function parseCommand(): Command {
  return {
    name: 'parse',
    summary: 'parse a 61968-100 message (XML, any prefixes; or JSON) and print its JSON form',
    args: '[<FILE>]',
    options: {
      'unknown-elements': {
        type: 'string',
        valueName: 'MODE',
        description: 'elements (JSON: properties) the schema does not know: preserve (default), keep, skip',
      },
    },
    details: [
      'Reads FILE, or stdin. Prints the typed model as JSON (the form `ami cim build` takes back).',
      '',
      'Elements the schema does not know are printed in their parent\'s "$any" list, by default (preserve);',
      'an element in Payload or Request that names no known profile is refused (UNKNOWN_NOUN) unless',
      '--unknown-elements keep; --unknown-elements skip leaves them out (lossy, on request only).',
    ].join('\n'),
    async run(ctx) {
      const [file, extra] = ctx.positionals;
      if (extra !== undefined) throw usage(`unexpected argument '${extra}'`);
      const mode = unknownElementsOption(ctx.values['unknown-elements']);
      const message = parseMessage(await readText(ctx, file), mode);
      ctx.io.out(`${JSON.stringify(toJsonValue(message), null, 2)}\n`);
      return 0;
    },
  };
}

function validateCommand(): Command {
  return {
    name: 'validate',
    summary:
      'check a 61968-100 message against the envelope and profile rules; every violation with its path',
    args: '[<FILE>]',
    options: {},
    async run(ctx) {
      const [file, extra] = ctx.positionals;
      if (extra !== undefined) throw usage(`unexpected argument '${extra}'`);
      const message = parseMessage(await readText(ctx, file));
      const violations = validateMessage(message);
      if (ctx.json) ctx.emit({ valid: violations.length === 0, violations });
      else if (violations.length === 0)
        ctx.io.out(
          `valid: ${message.kind}${'Header' in message ? ` ${message.Header.Verb} ${message.Header.Noun}` : ''}\n`,
        );
      else for (const v of violations) ctx.io.out(`${v.path}: [${v.code}] ${v.message}\n`);
      if (violations.length > 0 && !ctx.json) throw new CliError(`${violations.length} violation(s)`);
      return violations.length > 0 ? 1 : 0;
    },
  };
}

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
    commands: [buildCommand(), parseCommand(), validateCommand(), readingTypeCommand()],
  };
}
