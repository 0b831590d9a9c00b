/**
 * Whole-document parsing with our incremental tokenizer instead of fast-xml-parser: same {@link XNode}
 * tree, same refusals (DTDs, undeclared entities, unbound prefixes, limits), about an order of magnitude
 * faster on large MeterReadings (see docs/benchmarks.md). The default of `fromXml` (`parser: 'builtin'`);
 * a differential test checks both parsers agree on generated and mutated documents, and that where they
 * differ this one agrees with libxml2.
 *
 * @module
 */
import { CimError } from '../errors.ts';
import { decodeText } from './text.ts';
import { XmlTokenizer } from './tokenizer.ts';
import {
  DEFAULT_XML_LIMITS,
  type NsScope,
  openScope,
  refuseForbidden,
  resolveName,
  rootScope,
  type XmlLimits,
  type XNode,
} from './tree.ts';

export function parseXmlTreeBuiltin(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XNode {
  if (text.length > limits.maxLength) {
    throw new CimError(
      'LIMIT_EXCEEDED',
      `XML text is ${text.length} characters, over the limit of ${limits.maxLength}`,
    );
  }
  refuseForbidden(text);
  const tok = new XmlTokenizer({ maxDepth: limits.maxDepth, maxTokenLength: limits.maxLength });
  const tokens = tok.push(text);
  for (const t of tok.end()) tokens.push(t);
  const stack: XNode[] = [];
  const scopes: NsScope[] = [];
  let root: XNode | undefined;
  for (const t of tokens) {
    if (t.t === 'text') {
      const top = stack[stack.length - 1];
      if (top) top.text += t.cdata ? t.raw : decodeText(t.raw, t.offset);
      continue;
    }
    if (t.t === 'close') {
      stack.pop();
      scopes.pop();
      continue;
    }
    const parent = scopes.length > 0 ? scopes[scopes.length - 1]! : rootScope();
    let scope: NsScope;
    let node: XNode;
    try {
      const o = openScope(t.attrs, parent);
      scope = o.scope;
      const { ns, local } = resolveName(t.name, scope, false);
      node = { ns, local, attrs: o.attrs, children: [], text: '' };
    } catch (e) {
      if (e instanceof CimError && e.offset === undefined) {
        throw new CimError(e.code, e.message, { offset: t.offset, cause: e });
      }
      throw e;
    }
    const top = stack[stack.length - 1];
    if (top) top.children.push(node);
    else root = node;
    if (!t.selfClosing) {
      stack.push(node);
      scopes.push(scope);
    }
  }
  if (!root) throw new CimError('MALFORMED_XML', 'no root element');
  return root;
}
