/**
 * A small namespace-resolved element tree, built from fast-xml-parser's ordered output (full documents) or
 * from our streaming tokenizer (one subtree at a time). fast-xml-parser does not resolve prefixes; we do:
 * every element and attribute carries its namespace URI, whatever prefix (or default namespace) the input used.
 *
 * Safety: DTDs (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`, `<!ATTLIST`) are refused before parsing
 * (`FORBIDDEN_CONSTRUCT`), so no entity is ever declared, let alone expanded; fast-xml-parser runs with
 * `processEntities: false` and we decode only the predefined entities and character references. Size
 * and depth are limited (`LIMIT_EXCEEDED`).
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CimError } from '../errors.ts';
import { decodeAttr, decodeText, lineColToOffset } from './text.ts';
import { XML_DECL } from './tokenizer.ts';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface XAttr {
  /** Namespace URI ('' for an unprefixed attribute). */
  ns: string;
  local: string;
  value: string;
}

export interface XNode {
  /** Namespace URI ('' when the element is in no namespace). */
  ns: string;
  local: string;
  /** Attributes other than namespace declarations. */
  attrs: XAttr[];
  children: XNode[];
  /** Concatenated character data (text and CDATA) directly inside this element. */
  text: string;
}

export interface XmlLimits {
  /** Maximum input length in UTF-16 code units (default 64 Mi). */
  maxLength: number;
  /** Maximum element nesting depth (default 64). */
  maxDepth: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxLength: 64 * 1024 * 1024, maxDepth: 64 };

/** Namespace scope: prefix → URI, chained to the parent scope by prototype. '' is the default namespace. */
export type NsScope = Record<string, string>;

export function rootScope(): NsScope {
  const s = Object.create(null) as NsScope;
  s.xml = XML_NS;
  s[''] = '';
  return s;
}

const FORBIDDEN = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/** Refuses DTD constructs anywhere in the text (even inside comments: we do not look for an exception). */
export function refuseForbidden(text: string, base = 0): void {
  const m = FORBIDDEN.exec(text);
  if (m) {
    throw new CimError(
      'FORBIDDEN_CONSTRUCT',
      `<!${m[1]!.toUpperCase()} is refused: DTDs and entity declarations are not accepted (entity expansion and external entities)`,
      { offset: base + m.index },
    );
  }
}

/** Splits a QName; throws MALFORMED_XML on an unbound prefix. */
export function resolveName(qname: string, scope: NsScope, isAttr: boolean): { ns: string; local: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { ns: isAttr ? '' : (scope[''] ?? ''), local: qname };
  const prefix = qname.slice(0, colon);
  const uri = scope[prefix];
  if (uri === undefined || uri === '') {
    throw new CimError('MALFORMED_XML', `namespace prefix "${prefix}" is not declared`);
  }
  return { ns: uri, local: qname.slice(colon + 1) };
}

/**
 * Applies the namespace declarations among `rawAttrs` (name → raw value) to a child scope of `parent`, and
 * returns the scope and the resolved non-declaration attributes.
 */
export function openScope(
  rawAttrs: Record<string, string> | undefined,
  parent: NsScope,
): { scope: NsScope; attrs: XAttr[] } {
  if (!rawAttrs) return { scope: parent, attrs: [] };
  let scope = parent;
  const plain: [string, string][] = [];
  for (const name in rawAttrs) {
    const raw = rawAttrs[name]!;
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (scope === parent) scope = Object.create(parent) as NsScope;
      const value = decodeAttr(raw);
      const prefix = name === 'xmlns' ? '' : name.slice(6);
      if (prefix !== '' && value === '')
        throw new CimError('MALFORMED_XML', `cannot undeclare prefix "${prefix}"`);
      scope[prefix] = value;
    } else plain.push([name, raw]);
  }
  const attrs: XAttr[] = [];
  for (const [name, raw] of plain) {
    const { ns, local } = resolveName(name, scope, true);
    const value = decodeAttr(raw);
    for (const a of attrs) {
      if (a.ns === ns && a.local === local) throw new CimError('MALFORMED_XML', `attribute ${name} repeated`);
    }
    attrs.push({ ns, local, value });
  }
  return { scope, attrs };
}

/** fast-xml-parser does not check the XML declaration's content; we do (XML 1.0 §2.8). */
function checkXmlDeclaration(text: string): void {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('<?xml', start) || !/^[\s?]/.test(text.charAt(start + 5))) return;
  const end = text.indexOf('?>', start);
  if (end < 0 || !XML_DECL.test(text.slice(start + 5, end))) {
    throw new CimError('MALFORMED_XML', 'not well-formed XML: malformed XML declaration', { offset: start });
  }
}

type FxpNode = Record<string, unknown>;

/**
 * Parses a whole document into an {@link XNode} tree with fast-xml-parser. Exactly one root element; only
 * whitespace, comments and processing instructions around it.
 */
export function parseXmlTree(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XNode {
  if (text.length > limits.maxLength) {
    throw new CimError(
      'LIMIT_EXCEEDED',
      `XML text is ${text.length} characters, over the limit of ${limits.maxLength}`,
    );
  }
  refuseForbidden(text);
  checkXmlDeclaration(text);
  const check = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (check !== true) {
    const { err } = check;
    throw new CimError('MALFORMED_XML', `not well-formed XML: ${err.msg}`, {
      offset: lineColToOffset(text, err.line, err.col),
    });
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    allowBooleanAttributes: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    commentPropName: '#comment',
    cdataPropName: '#cdata',
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  let doc: FxpNode[];
  try {
    doc = parser.parse(text) as FxpNode[];
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/nested/i.test(msg))
      throw new CimError('LIMIT_EXCEEDED', `XML nesting too deep: ${msg}`, { cause: e });
    throw new CimError('MALFORMED_XML', `not well-formed XML: ${msg}`, { cause: e });
  }
  let root: XNode | undefined;
  for (const item of doc) {
    const name = elementName(item);
    if (name === undefined) {
      if ('#text' in item && String(item['#text']).trim() !== '') {
        throw new CimError('MALFORMED_XML', 'text outside the root element');
      }
      continue;
    }
    if (root) throw new CimError('MALFORMED_XML', 'more than one root element');
    root = convert(item, name, rootScope(), 1, limits.maxDepth);
  }
  if (!root) throw new CimError('MALFORMED_XML', 'no root element');
  return root;
}

function elementName(item: FxpNode): string | undefined {
  for (const k in item) {
    if (k === ':@' || k === '#text' || k === '#comment' || k === '#cdata' || k.startsWith('?')) continue;
    return k;
  }
  return undefined;
}

function convert(item: FxpNode, qname: string, parent: NsScope, depth: number, maxDepth: number): XNode {
  if (depth > maxDepth) throw new CimError('LIMIT_EXCEEDED', `XML nesting deeper than ${maxDepth}`);
  const { scope, attrs } = openScope(item[':@'] as Record<string, string> | undefined, parent);
  const { ns, local } = resolveName(qname, scope, false);
  const node: XNode = { ns, local, attrs, children: [], text: '' };
  const content = item[qname] as FxpNode[];
  for (const c of content) {
    if ('#text' in c) {
      node.text += decodeText(String(c['#text']));
      continue;
    }
    if ('#cdata' in c) {
      for (const t of c['#cdata'] as FxpNode[]) node.text += String(t['#text'] ?? '');
      continue;
    }
    const name = elementName(c);
    if (name === undefined) continue; // comment, PI
    node.children.push(convert(c, name, scope, depth + 1, maxDepth));
  }
  return node;
}
