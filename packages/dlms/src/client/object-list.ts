/**
 * The Association LN `object_list` (class 15, attribute 2; IEC 62056-6-2), read by a client:
 *
 * ```text
 * object_list_element ::= structure { class_id long-unsigned, version unsigned, logical_name octet-string,
 *                                     access_rights }
 * access_rights ::= structure { attribute_access array of attribute_access_item,
 *                               method_access array of method_access_item }
 * attribute_access_item ::= structure { attribute_id integer, access_mode enum,
 *                                       access_selectors CHOICE { null-data, array of integer } }
 * method_access_item ::= structure { method_id integer, access_mode enum }   -- boolean in version 0
 * ```
 *
 * Attribute access modes: 0 no-access, 1 read-only, 2 write-only, 3 read-and-write (4–6 the authenticated
 * variants); method access modes: 0 no-access, 1 access, 2 authenticated-access. A client-side parser kept
 * lenient about what meters vary on (boolean method access, missing access rights).
 *
 * @module
 */
import type { Data } from '../axdr/types.ts';
import { DlmsError } from '../errors.ts';
import { formatObis, parseObis } from '../obis/index.ts';

/** Attribute access mode names (IEC 62056-6-2 Association LN). */
export const ATTRIBUTE_ACCESS_MODES: readonly string[] = Object.freeze([
  'no-access',
  'read-only',
  'write-only',
  'read-and-write',
  'authenticated-read-only',
  'authenticated-write-only',
  'authenticated-read-and-write',
]);

/** Method access mode names. */
export const METHOD_ACCESS_MODES: readonly string[] = Object.freeze([
  'no-access',
  'access',
  'authenticated-access',
]);

export interface ObjectListEntry {
  classId: number;
  version: number;
  /** Dotted OBIS, e.g. `0.0.1.0.0.255`. */
  logicalName: string;
  attributes: { id: number; access: string; selectors?: number[] }[];
  methods: { id: number; access: string }[];
}

function bad(i: number, what: string): never {
  throw new DlmsError('MALFORMED', `object_list[${i}]: ${what}`, { path: ['objectList', i] });
}

function num(d: Data | undefined): number | undefined {
  if (!d) return undefined;
  switch (d.type) {
    case 'integer':
    case 'unsigned':
    case 'long':
    case 'long-unsigned':
    case 'enum':
      return d.value;
    case 'boolean':
      return d.value ? 1 : 0;
    default:
      return undefined;
  }
}

/** Parses an object_list value into plain entries; `MALFORMED` when it does not have the standard shape. */
export function parseObjectList(list: Data): ObjectListEntry[] {
  if (list.type !== 'array') throw new DlmsError('MALFORMED', `object_list is ${list.type}, not an array`);
  return list.value.map((e, i) => {
    if (e.type !== 'structure' || e.value.length < 3) bad(i, 'not a structure of 4');
    const [c, v, ln, rights] = e.value;
    const classId = num(c);
    const version = num(v);
    if (classId === undefined || version === undefined) bad(i, 'class_id / version');
    if (ln?.type !== 'octet-string' || ln.value.length !== 6) bad(i, 'logical_name is not a 6-octet string');
    const out: ObjectListEntry = {
      classId,
      version,
      logicalName: formatObis(parseObis(ln.value)),
      attributes: [],
      methods: [],
    };
    if (rights?.type === 'structure' && rights.value.length >= 1) {
      const [aa, ma] = rights.value;
      if (aa?.type === 'array')
        for (const item of aa.value) {
          if (item.type !== 'structure') bad(i, 'attribute_access_item');
          const id = num(item.value[0]);
          const mode = num(item.value[1]);
          if (id === undefined || mode === undefined) bad(i, 'attribute_access_item fields');
          const a: ObjectListEntry['attributes'][number] = {
            id,
            access: ATTRIBUTE_ACCESS_MODES[mode] ?? String(mode),
          };
          const sel = item.value[2];
          if (sel?.type === 'array') a.selectors = sel.value.map((x) => num(x) ?? -1);
          out.attributes.push(a);
        }
      if (ma?.type === 'array')
        for (const item of ma.value) {
          if (item.type !== 'structure') bad(i, 'method_access_item');
          const id = num(item.value[0]);
          const mode = num(item.value[1]);
          if (id === undefined || mode === undefined) bad(i, 'method_access_item fields');
          out.methods.push({ id, access: METHOD_ACCESS_MODES[mode] ?? String(mode) });
        }
    }
    return out;
  });
}
