/**
 * Elements the descriptors do not know, for tests of `unknownElements`: random foreign elements (a vendor
 * namespace, the profile's and the envelope's namespaces with names they do not define, no namespace) and
 * the places in a written document where one may be inserted into a known complex type.
 */
import fc from 'fast-check';
import { MESSAGE_NS_ED1 } from '../src/envelope/index.ts';
import { MeterReadingsNamespace } from '../src/profiles/index.ts';
import { escapeAttr, escapeText } from '../src/xml/index.ts';
import { XmlTokenizer } from '../src/xml/tokenizer.ts';

/**
 * Inserts one foreign element per `inserts` entry (element `Ext<i>`) at `points[at % points.length]` of
 * `text`; several at one point go in order.
 */
export function insertForeign(text: string, inserts: readonly (readonly [number, Foreign])[]): string {
  const points = insertionPoints(text);
  const chosen = new Map<number, string>();
  inserts.forEach(([at, f], i) => {
    const p = points[at % points.length]!;
    chosen.set(p, (chosen.get(p) ?? '') + renderForeign(f, i));
  });
  let out = text;
  // From the end, so earlier offsets stay valid.
  for (const [p, el] of [...chosen].sort((a, b) => b[0] - a[0])) out = out.slice(0, p) + el + out.slice(p);
  return out;
}

/** Namespaces of inserted elements: a vendor's, the profile's and the envelope's (names they do not define), none. */
export const FOREIGN_NS = ['urn:vendor:ext', MeterReadingsNamespace, MESSAGE_NS_ED1, ''] as const;

export interface Foreign {
  ns: number;
  attr: string | undefined;
  /** Text content, a child element with text, or nothing. */
  content: { text: string } | { child: string } | undefined;
}

export const foreignArb: fc.Arbitrary<Foreign> = fc.record({
  ns: fc.nat(FOREIGN_NS.length - 1),
  attr: fc.option(fc.string({ maxLength: 6 }), { nil: undefined }),
  content: fc.option(
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 6 }).map((text) => ({ text })),
      fc.string({ maxLength: 6 }).map((child) => ({ child })),
    ),
    { nil: undefined },
  ),
});

/** Renders a foreign element with a unique local name (`Ext<i>`), declaring its own namespace. */
export function renderForeign(f: Foreign, i: number): string {
  const ns = FOREIGN_NS[f.ns]!;
  const q = (local: string) => (ns === '' ? local : `vx:${local}`);
  const decl = ns === '' ? ' xmlns=""' : ` xmlns:vx="${escapeAttr(ns)}"`;
  const attr = f.attr === undefined ? '' : ` note="${escapeAttr(f.attr)}"`;
  const name = q(`Ext${i}`);
  if (!f.content) return `<${name}${decl}${attr}/>`;
  const inner =
    'text' in f.content
      ? escapeText(f.content.text)
      : `<${q('Sub')}>${escapeText(f.content.child)}</${q('Sub')}>`;
  return `<${name}${decl}${attr}>${inner}</${name}>`;
}

/**
 * Offsets where an element may be inserted into a known complex type (or the root): before any start tag
 * below the root, and before the end tag of an element that has element children. Never inside a leaf.
 */
export function insertionPoints(text: string): number[] {
  const tok = new XmlTokenizer();
  const tokens = [...tok.push(text), ...tok.end()];
  const out: number[] = [];
  let depth = 0;
  let prevClosed = false; // the last tag ended an element (an end tag or an empty-element tag)
  for (const t of tokens) {
    if (t.t === 'text') continue;
    if (t.t === 'open') {
      if (depth >= 1) out.push(t.offset);
      if (!t.selfClosing) depth++;
      prevClosed = t.selfClosing;
    } else {
      if (prevClosed) out.push(t.offset);
      depth--;
      prevClosed = true;
    }
  }
  return out;
}
