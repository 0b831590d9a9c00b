/**
 * Descriptor-driven decoding of an {@link XNode} tree into the typed model. Child elements may come in
 * any order (real-world senders do not always keep the schema order); the model is the same. Elements in
 * the type's own namespace that the descriptor does not know are skipped (forward compatibility with
 * later editions' additions); foreign elements are profile elements where the schema has an `xs:any`
 * profile slot (Payload, Request, Operation), and are skipped elsewhere (`xs:any ##other` in Header/Reply).
 *
 * @module
 */
import {
  type Edition,
  MESSAGE_NS_DRAFT_2011,
  MESSAGE_NS_ED1,
  MESSAGE_NS_ED2,
  MESSAGE_TYPES,
  type Message,
  type MessageKind,
} from '../envelope/index.ts';
import { CimError, withPath } from '../errors.ts';
import { profileByElement } from '../profiles/index.ts';
import type { AnyElement, ComplexType, ElementField, Identifier, LeafField } from '../profiles/schema.ts';
import { ANY_KEY, ID_KINDS } from '../profiles/schema.ts';
import type { XNode } from './tree.ts';

export interface DecodeOptions {
  /** Envelope editions accepted (default both). */
  editions?: readonly Edition[];
  /**
   * Elements the descriptors do not know: vendor extensions in the schemas' `xs:any ##other` slots
   * (Header, Reply, Request; a Payload element of no registered profile) and elements a sender added inside
   * a known type (its own namespace or another). By default (`preserve`) each one is kept, as read, in
   * its parent's `$any` array (see {@link AnyElement}), which the XML and JSON writers put back, so nothing
   * is lost — except a Payload/Request element of no registered profile, which is refused with
   * `UNKNOWN_NOUN` (the message is not one this reader can type). `keep` keeps those too, in `$any`;
   * `skip` drops every unknown element (explicitly lossy).
   */
  unknownElements?: 'preserve' | 'keep' | 'skip';
}

/** An element subtree as plain data (no parent links), for `$any`. */
export function toAnyElement(node: XNode): AnyElement {
  const el: AnyElement = { ns: node.ns, local: node.local };
  if (node.attrs.length > 0) el.attrs = node.attrs.map((a) => ({ ns: a.ns, local: a.local, value: a.value }));
  if (node.children.length > 0) el.children = node.children.map(toAnyElement);
  else if (node.text !== '') el.text = node.text;
  return el;
}

function keepAny(out: Record<string, unknown>, node: XNode): void {
  const list = (out[ANY_KEY] as AnyElement[] | undefined) ?? [];
  list.push(toAnyElement(node));
  out[ANY_KEY] = list;
}

const BOOL = /^(true|false|1|0)$/;
const INTEGER = /^[+-]?[0-9]+$/;

/** Decodes a leaf element's text per its lexical kind. */
export function decodeLeaf(field: LeafField, raw: string): string | number | boolean {
  switch (field.t) {
    case 'string': {
      if (field.enum) {
        const v = raw.trim();
        if (!field.enum.includes(v)) {
          throw new CimError(
            field.enumCode ?? 'INVALID_VALUE',
            `"${v.slice(0, 40)}" is not one of ${field.enum.join(', ')}`,
          );
        }
        return v;
      }
      return raw;
    }
    case 'boolean': {
      const v = raw.trim();
      if (!BOOL.test(v)) throw new CimError('INVALID_VALUE', `"${v.slice(0, 40)}" is not an xs:boolean`);
      return v === 'true' || v === '1';
    }
    case 'integer': {
      const v = raw.trim();
      const n = INTEGER.test(v) ? Number(v) : Number.NaN;
      if (!Number.isSafeInteger(n))
        throw new CimError('INVALID_VALUE', `"${v.slice(0, 40)}" is not a (safe) xs:integer`);
      return n;
    }
    default:
      // dateTime and float keep their lexical form (whitespace-collapsed); the validator checks the format.
      return raw.trim();
  }
}

function decodeId(node: XNode): Identifier {
  const id: Identifier = { value: node.text };
  for (const a of node.attrs) {
    if (a.ns !== '') continue;
    switch (a.local) {
      case 'idType':
        id.idType = a.value;
        break;
      case 'idAuthority':
        id.idAuthority = a.value;
        break;
      case 'kind': {
        const k = a.value.trim();
        if (!(ID_KINDS as readonly string[]).includes(k)) {
          throw withPath('kind', () => {
            throw new CimError(
              'INVALID_VALUE',
              `ID kind "${k.slice(0, 40)}" is not one of ${ID_KINDS.join(', ')}`,
            );
          });
        }
        id.kind = k as Identifier['kind'];
        break;
      }
      case 'objectType':
        id.objectType = a.value;
        break;
    }
  }
  return id;
}

function findField(type: ComplexType, local: string): ElementField | undefined {
  for (const f of type.fields) if (f.t !== 'profiles' && f.n === local) return f;
  return undefined;
}

function slotOf(type: ComplexType): 'payload' | 'request' | undefined {
  for (const f of type.fields) if (f.t === 'profiles') return f.slot;
  return undefined;
}

function decodeValue(field: ElementField, child: XNode, ns: string, options: DecodeOptions): unknown {
  if (field.t !== 'complex' && child.children.length > 0) {
    // Leaf, reference and ID elements have simple (or empty) content in the schemas: an element inside one
    // has no place in the model, and dropping it would lose it.
    const c = child.children[0]!;
    throw new CimError(
      'INVALID_VALUE',
      `${field.n} has simple content; element {${c.ns}}${c.local.slice(0, 40)} inside it is not allowed`,
      { path: [c.local.slice(0, 40)] },
    );
  }
  switch (field.t) {
    case 'complex':
      return decodeComplex(child, field.type, field.childNs?.uri ?? ns, options);
    case 'ref': {
      for (const a of child.attrs) if (a.ns === '' && a.local === 'ref') return a.value;
      throw new CimError('MISSING_FIELD', 'reference element without a ref attribute', { path: ['ref'] });
    }
    case 'id':
      return decodeId(child);
    default:
      return decodeLeaf(field, child.text);
  }
}

/**
 * Decodes `node` as `type`, whose child elements are in namespace `ns`. Errors carry the element path
 * (`Payload.MeterReadings.MeterReading[3].IntervalBlocks[0].ReadingType`).
 */
export function decodeComplex(
  node: XNode,
  type: ComplexType,
  ns: string,
  options: DecodeOptions = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Default: keep what the descriptors do not know (nothing is lost), but refuse a Payload/Request element
  // of no registered profile (UNKNOWN_NOUN) — unless the caller asked to keep everything.
  const keep = options.unknownElements !== 'skip';
  const keepUnknownProfiles = options.unknownElements === 'keep';
  const slot = slotOf(type);
  const fields = type.fields;
  // Whether children came in schema order (the usual case): then `out` already has the schema key order.
  let inOrder = true;
  let last = -1;
  for (const child of node.children) {
    if (child.ns !== ns) {
      if (slot === undefined) {
        if (keep) keepAny(out, child);
        continue;
      }
      const profile = profileByElement(child.local, slot);
      if (!profile || profile.namespace !== child.ns) {
        if (keepUnknownProfiles) {
          keepAny(out, child);
          continue;
        }
        throw new CimError(
          'UNKNOWN_NOUN',
          `unknown profile element {${child.ns}}${child.local} in ${type.name}`,
          {
            path: [child.local],
          },
        );
      }
      if (out[profile.element] !== undefined) {
        throw new CimError('INVALID_VALUE', `profile ${profile.element} occurs more than once`, {
          path: [profile.element],
        });
      }
      inOrder = false;
      out[profile.element] = withPath(profile.element, () =>
        decodeComplex(child, profile.type, profile.namespace, options),
      );
      continue;
    }
    let index = -1;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.t !== 'profiles' && f.n === child.local) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      if (keep) keepAny(out, child);
      continue;
    }
    const field = fields[index] as ElementField;
    if (index < last) inOrder = false;
    last = index;
    if (field.many) {
      let arr = out[field.n] as unknown[] | undefined;
      if (!arr) {
        arr = [];
        out[field.n] = arr;
      }
      const i = arr.length;
      arr.push(withPath(field.n, () => withPath(i, () => decodeValue(field, child, ns, options))));
    } else {
      if (out[field.n] !== undefined) {
        throw new CimError('INVALID_VALUE', `${field.n} occurs more than once`, { path: [field.n] });
      }
      out[field.n] = withPath(field.n, () => decodeValue(field, child, ns, options));
    }
  }
  for (const f of fields) {
    if (f.t !== 'profiles' && f.req && out[f.n] === undefined) {
      throw new CimError('MISSING_FIELD', `${type.name}.${f.n} is mandatory`, { path: [f.n] });
    }
  }
  if (inOrder) return out;
  // Re-key in schema order so JSON output and deep equality do not depend on the sender's order.
  const ordered: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.t === 'profiles') {
      for (const k in out) if (k !== ANY_KEY && findField(type, k) === undefined) ordered[k] = out[k];
    } else if (out[f.n] !== undefined) ordered[f.n] = out[f.n];
  }
  if (out[ANY_KEY] !== undefined) ordered[ANY_KEY] = out[ANY_KEY];
  return ordered;
}

/** Which edition a message namespace belongs to; throws WRONG_NAMESPACE for anything else. */
export function editionOf(ns: string, accepted: readonly Edition[] = ['ed1', 'ed2']): Edition {
  if (ns === MESSAGE_NS_ED1 && accepted.includes('ed1')) return 'ed1';
  if (ns === MESSAGE_NS_ED2 && accepted.includes('ed2')) return 'ed2';
  const hint = ns === MESSAGE_NS_DRAFT_2011 ? ' (the pre-standard 2011 draft namespace)' : '';
  throw new CimError(
    'WRONG_NAMESPACE',
    `root element is in namespace "${ns.slice(0, 100)}"${hint}, not an accepted IEC 61968-100 message namespace`,
  );
}

/** Decodes a message root element. */
export function decodeMessageNode(
  root: XNode,
  options: DecodeOptions = {},
): { message: Message; edition: Edition } {
  const edition = editionOf(root.ns, options.editions);
  const kind = root.local as MessageKind;
  const type = (MESSAGE_TYPES as Record<string, ComplexType>)[kind];
  if (!type) {
    throw new CimError(
      'INVALID_VALUE',
      `root element ${root.local.slice(0, 60)} is not RequestMessage, ResponseMessage, EventMessage or FaultMessage`,
    );
  }
  const body = decodeComplex(root, type, root.ns, options);
  return { message: { kind, ...body } as Message, edition };
}
