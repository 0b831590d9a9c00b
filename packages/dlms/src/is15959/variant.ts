/**
 * Which IS 15959 meter we are talking to. The standard is a family (Part 1:2011 static meters, Part 2:2016
 * smart meters with amendments, Part 3:2017 CT/PT smart meters) and much of the detail known publicly is
 * observed practice ([O] in `shared/reference/is15959.md`) rather than the standard's text. Every such
 * choice is a field here, never a constant in the code.
 *
 * | field | default | why it is configurable |
 * |---|---|---|
 * | `part` | 2 | [C] three parts; Part 3 has no connect/disconnect, Part 1 no push or firmware association ([I]) |
 * | `amendment` | undefined | [O] tools carry amendment-specific encodings; kept for callers and reports |
 * | `phases` | 1 | [O] single- and three-phase capture lists differ |
 * | `blockLoadPeriod` | 900 | [O] 900 s usual, 1800 s also seen |
 * | `blockLoadDepth` | 3360 | [O] 35 days at 900 s |
 * | `blockLoadHealthColumns` | false | [O] newer utility specs append meter health and signal strength |
 * | `meterReaderPolicy` | `'enc'` | [O] one vendor encryption only, another auth+enc (security setup 0.0.43.0.2) |
 * | `utilitySettingsMechanism` | 2 | [O] HLS "AES" (2) or GMAC (5) |
 * | `billingPushB` | 103 | [O] billing push setup 0.103.25.9.0.255 vs 0.132.25.9.0.255 |
 * | `ihdAuthentication` | `'lls'` | [O] in-home display: pre-established, LLS |
 * | `billingDepth` | 13 | [O] 5–13 rows |
 *
 * @module
 */
import { DlmsError } from '../errors.ts';

export interface Is15959VariantInput {
  part: 1 | 2 | 3;
  amendment?: string;
  phases: 1 | 3;
  blockLoadPeriod?: 900 | 1800;
  blockLoadDepth?: number;
  blockLoadHealthColumns?: boolean;
  meterReaderPolicy?: 'enc' | 'auth+enc';
  utilitySettingsMechanism?: 2 | 5;
  billingPushB?: 103 | 132;
  ihdAuthentication?: 'lls' | 'none';
  billingDepth?: number;
}

/** A variant with every choice resolved. */
export interface Is15959Variant {
  readonly part: 1 | 2 | 3;
  readonly amendment: string | undefined;
  readonly phases: 1 | 3;
  readonly blockLoadPeriod: 900 | 1800;
  readonly blockLoadDepth: number;
  readonly blockLoadHealthColumns: boolean;
  readonly meterReaderPolicy: 'enc' | 'auth+enc';
  readonly utilitySettingsMechanism: 2 | 5;
  readonly billingPushB: 103 | 132;
  readonly ihdAuthentication: 'lls' | 'none';
  readonly billingDepth: number;
  /** Part 2 only: push association, push setups, disconnect control (Part 3 has none [C]). */
  readonly hasConnectDisconnect: boolean;
  /** Part 2 and 3: push (client 64) and firmware upgrade (client 80) associations. Part 1: no [I]. */
  readonly hasPush: boolean;
  readonly hasFirmwareAssociation: boolean;
}

const bad = (m: string): never => {
  throw new DlmsError('INVALID_ARGUMENT', m);
};

/** Fills in the defaults and checks the fields (`INVALID_ARGUMENT` naming the field). */
export function resolveVariant(input: Is15959VariantInput | Is15959Variant): Is15959Variant {
  if (typeof input !== 'object' || input === null) bad('variant must be an object { part, phases, … }');
  const { part, phases } = input;
  if (part !== 1 && part !== 2 && part !== 3) bad(`variant.part must be 1, 2 or 3, got ${String(part)}`);
  if (phases !== 1 && phases !== 3) bad(`variant.phases must be 1 or 3, got ${String(phases)}`);
  const period = input.blockLoadPeriod ?? 900;
  if (period !== 900 && period !== 1800) bad(`variant.blockLoadPeriod must be 900 or 1800, got ${period}`);
  const depth = input.blockLoadDepth ?? (period === 900 ? 3360 : 1680);
  if (!Number.isInteger(depth) || depth < 1 || depth > 100_000) {
    bad(`variant.blockLoadDepth must be an integer 1..100000, got ${depth}`);
  }
  const billingDepth = input.billingDepth ?? 13;
  if (!Number.isInteger(billingDepth) || billingDepth < 1 || billingDepth > 100) {
    bad(`variant.billingDepth must be an integer 1..100, got ${billingDepth}`);
  }
  return Object.freeze({
    part,
    amendment: input.amendment,
    phases,
    blockLoadPeriod: period,
    blockLoadDepth: depth,
    blockLoadHealthColumns: input.blockLoadHealthColumns ?? false,
    meterReaderPolicy: input.meterReaderPolicy ?? 'enc',
    utilitySettingsMechanism: input.utilitySettingsMechanism ?? 2,
    billingPushB: input.billingPushB ?? 103,
    ihdAuthentication: input.ihdAuthentication ?? 'lls',
    billingDepth,
    hasConnectDisconnect: part === 2,
    hasPush: part !== 1,
    hasFirmwareAssociation: part !== 1,
  });
}
