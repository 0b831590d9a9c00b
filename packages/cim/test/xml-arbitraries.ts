/**
 * fast-check arbitraries for the whole typed model, generated from the same descriptors the codecs use.
 * `xsdSafe` keeps to values the 2011 draft profile XSDs accept in every context (Names without NameType,
 * whose shape differs between draft types).
 */
import fc from 'fast-check';
import { MESSAGE_TYPES, type Message, VERBS } from '../src/envelope/index.ts';
import { PROFILES } from '../src/profiles/index.ts';
import type { ComplexType, ElementField } from '../src/profiles/schema.ts';

export interface ArbOptions {
  xsdSafe?: boolean;
  maxItems?: number;
}

const CHARS = fc.constantFrom(...'abcXYZ0189 -_.:/<>&"\'é€\u00a0\t\n中'.split(''), '😀');
export const xmlString = fc.string({ unit: CHARS, maxLength: 12 });

const int = (min: number, max: number) => fc.integer({ min, max });
export const readingTypeMrid = fc
  .array(int(-24, 2000), { minLength: 18, maxLength: 18 })
  .map((a) => a.map((n, i) => (i === 15 ? n : Math.abs(n))).join('.'));
const eventTypeCode = fc.array(int(0, 300), { minLength: 4, maxLength: 4 }).map((a) => a.join('.'));
const qualityCode = fc.array(int(0, 12), { minLength: 3, maxLength: 3 }).map((a) => a.join('.'));

export const dateTime = fc
  .tuple(
    fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2090-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('Z', '+05:30', '-03:00', ''),
    fc.boolean(),
  )
  .map(([d, tz, ms]) => {
    const iso = d.toISOString();
    return (ms ? iso.slice(0, 23) : iso.slice(0, 19)) + tz;
  });

const float = fc
  .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 999 }), fc.boolean())
  .map(([i, f, frac]) => (frac ? `${i}.${String(f).padStart(3, '0')}` : String(i)));

function fieldArb(f: ElementField, opts: ArbOptions, depth: number): fc.Arbitrary<unknown> {
  switch (f.t) {
    case 'complex':
      return complexArb(f.type, opts, depth + 1);
    case 'ref':
      return f.fmt === 'readingType'
        ? readingTypeMrid
        : f.fmt === 'eventType'
          ? eventTypeCode
          : f.fmt === 'qualityType'
            ? qualityCode
            : xmlString;
    case 'id':
      return fc.record(
        {
          value: xmlString,
          idType: xmlString,
          idAuthority: xmlString,
          kind: fc.constantFrom('name', 'uuid', 'transaction', 'other'),
          objectType: xmlString,
        },
        { requiredKeys: ['value'] },
      );
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return int(-1_000_000_000, 1_000_000_000);
    case 'dateTime':
      return dateTime;
    case 'float':
      return float;
    case 'qname':
      return fc.constantFrom('Header', 'msg:Noun', 'a_b.c-1'); // a QName's prefix must be in scope: only msg is
    default:
      if (f.enum) return fc.constantFrom(...f.enum);
      if (f.fmt === 'readingType') return readingTypeMrid;
      if (f.fmt === 'eventType') return eventTypeCode;
      return xmlString;
  }
}

export function complexArb(
  type: ComplexType,
  opts: ArbOptions = {},
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  if (opts.xsdSafe && type.name === 'Name') return fc.record({ name: xmlString });
  const maxItems = depth > 3 ? 1 : (opts.maxItems ?? 2);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  let slot: 'payload' | 'request' | undefined;
  for (const f of type.fields) {
    if (f.t === 'profiles') {
      slot = f.slot;
      continue;
    }
    const a = fieldArb(f, opts, depth);
    model[f.n] = f.many ? fc.array(a, { minLength: 1, maxLength: Math.min(f.max ?? maxItems, maxItems) }) : a;
    if (f.req) required.push(f.n);
  }
  const base = fc.record(model, { requiredKeys: required });
  if (type.name === 'Payload') {
    // PayloadType is a choice: profile elements | OperationSet | Compressed | ID, then Format.
    const { OperationSet, Compressed, ID, Format } = model as Record<string, fc.Arbitrary<unknown>>;
    const format = fc.option(Format!, { nil: undefined });
    const withFormat = (a: fc.Arbitrary<Record<string, unknown>>) =>
      fc.tuple(a, format).map(([o, f]) => (f === undefined ? o : { ...o, Format: f }));
    const profiles = PROFILES.filter((p) => p.slot === 'payload');
    return withFormat(
      fc.oneof(
        fc
          .constantFrom(...profiles)
          .chain((p) => complexArb(p.type, opts, depth + 1).map((v) => ({ [p.element]: v }))),
        OperationSet!.map((v) => ({ OperationSet: v })),
        Compressed!.map((v) => ({ Compressed: v })),
        ID!.map((v) => ({ ID: v })),
        fc.constant({}),
      ),
    );
  }
  if (!slot || depth > 1) return base;
  const profiles = PROFILES.filter((p) => p.slot === slot);
  const profileArb = fc.option(
    fc
      .constantFrom(...profiles)
      .chain((p) => complexArb(p.type, opts, depth + 1).map((v) => ({ [p.element]: v }))),
    { nil: undefined },
  );
  return fc.tuple(profileArb, base).map(([p, b]) => ({ ...(p ?? {}), ...b }));
}

export function messageArb(opts: ArbOptions = {}): fc.Arbitrary<Message> {
  return fc
    .constantFrom(...(Object.keys(MESSAGE_TYPES) as (keyof typeof MESSAGE_TYPES)[]))
    .chain((kind) => complexArb(MESSAGE_TYPES[kind], opts).map((body) => ({ kind, ...body }) as Message));
}

export { VERBS };
