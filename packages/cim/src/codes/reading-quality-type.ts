/**
 * IEC 61968-9 ReadingQualityType (Annex D): `system.category.subCategory`.
 *
 * ```text
 * 1.0.0   endDevice . valid . 0          (the value is valid, as judged by the end device)
 * 3.8.0   MDM . estimated . 0
 * ```
 *
 * System and category tables: the reference (`shared/reference/iec61968.md` §5.2, from Connexo's
 * QualityCodeSystem and QualityCodeCategory, whose codes are the enum ordinals). Sub-categories depend on the
 * category and are not tabulated here (the sources at hand do not list them): they are kept as numbers and
 * described as `sub-category N`.
 *
 * @module
 */
import { CimError } from '../errors.ts';
import { type CodeTable, codeTable } from './code-table.ts';
import { checkField, parseDotted } from './dotted.ts';
import type { Known } from './reading-type.ts';

/** Field 1, `system`: which system judged the quality. */
export const QualitySystem = {
  notApplicable: 0,
  endDevice: 1,
  MDC: 2,
  MDM: 3,
  other: 4,
  external: 5,
} as const;
export type QualitySystemName = keyof typeof QualitySystem;
export type QualitySystemCode = (typeof QualitySystem)[QualitySystemName];
export const qualitySystemTable: CodeTable<QualitySystemName> = /* @__PURE__ */ codeTable(
  'system',
  QualitySystem,
  {
    notApplicable: 'not applicable',
    endDevice: 'end device',
    MDC: 'meter data collection (MDC)',
    MDM: 'meter data management (MDM)',
  },
);

/** Field 2, `category`: the kind of quality statement. */
export const QualityCategory = {
  valid: 0,
  diagnostics: 1,
  powerQuality: 2,
  tamper: 3,
  dataCollection: 4,
  reasonability: 5,
  validation: 6,
  edited: 7,
  estimated: 8,
  oscillatory: 9,
  questionable: 10,
  derived: 11,
  projected: 12,
} as const;
export type QualityCategoryName = keyof typeof QualityCategory;
export type QualityCategoryCode = (typeof QualityCategory)[QualityCategoryName];
export const qualityCategoryTable: CodeTable<QualityCategoryName> = /* @__PURE__ */ codeTable(
  'category',
  QualityCategory,
  {
    tamper: 'tamper / revenue protection',
    oscillatory: 'oscillatory (obsolete)',
  },
);

/** A decoded ReadingQualityType code. */
export interface ReadingQualityType {
  readonly system: Known<QualitySystemCode>;
  readonly category: Known<QualityCategoryCode>;
  /** Category-specific; 0 is the category in general. */
  readonly subCategory: number;
}

export const READING_QUALITY_TYPE_FIELDS = ['system', 'category', 'subCategory'] as const;
export type ReadingQualityTypeField = (typeof READING_QUALITY_TYPE_FIELDS)[number];

/** Parses `system.category.subCategory`. Errors as for ReadingType (`INVALID_VALUE`, path `[index]`). */
export function parseReadingQualityType(mrid: string): ReadingQualityType {
  const f = parseDotted(mrid, READING_QUALITY_TYPE_FIELDS, 'ReadingQualityType');
  return { system: f[0]!, category: f[1]!, subCategory: f[2]! };
}

export function formatReadingQualityType(q: ReadingQualityType): string {
  const w = 'ReadingQualityType';
  if (typeof q !== 'object' || q === null) throw new CimError('INVALID_ARGUMENT', `${w}: expected an object`);
  return `${checkField(w, 'system', q.system)}.${checkField(w, 'category', q.category)}.${checkField(w, 'subCategory', q.subCategory)}`;
}

export interface ReadingQualityTypeFieldDescription {
  readonly field: ReadingQualityTypeField;
  readonly value: number;
  readonly name?: string;
  readonly known: boolean;
  readonly meaning: string;
}

export interface ReadingQualityTypeDescription {
  readonly mRID: string;
  readonly code: ReadingQualityType;
  /** e.g. `End device: valid`, `MDM: estimated, sub-category 3`. */
  readonly text: string;
  readonly fields: readonly ReadingQualityTypeFieldDescription[];
  readonly unknown: readonly ReadingQualityTypeField[];
}

/** Describes a ReadingQualityType code or mRID. Unknown system or category values are kept and flagged. */
export function describeReadingQualityType(
  input: ReadingQualityType | string,
): ReadingQualityTypeDescription {
  const code = typeof input === 'string' ? parseReadingQualityType(input) : input;
  const mRID = formatReadingQualityType(code);
  const fields: ReadingQualityTypeFieldDescription[] = [];
  const unknown: ReadingQualityTypeField[] = [];
  const words: string[] = [];
  const pairs = [
    ['system', code.system, qualitySystemTable],
    ['category', code.category, qualityCategoryTable],
  ] as const;
  for (const [field, value, table] of pairs) {
    const e = table.entry(value);
    if (e) {
      fields.push({ field, value, name: e.name, known: true, meaning: e.label });
      words.push(e.label);
    } else {
      const meaning = `unknown ${field} code ${value}`;
      fields.push({ field, value, known: false, meaning });
      unknown.push(field);
      words.push(meaning);
    }
  }
  const sub = code.subCategory;
  fields.push({
    field: 'subCategory',
    value: sub,
    known: true,
    meaning: sub === 0 ? 'general' : `sub-category ${sub}`,
  });
  const head = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
  const text = `${head}: ${words[1]}${sub === 0 ? '' : `, sub-category ${sub}`}`;
  return { mRID, code, text, fields, unknown };
}
