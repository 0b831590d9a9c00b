/**
 * `@ami-interop/cim/xml-builder`: 61968-100 messages written into an xmlbuilder2 document, for callers who
 * want a DOM to post-process (to sign it, to add elements) before serialising. `builderToString` gives the
 * same text `toXml` of `@ami-interop/cim/xml` gives (a test checks it).
 *
 * A subpath of its own because xmlbuilder2's CommonJS build needs Node's `events` and `url` modules: kept
 * out of `/xml`, so that `/xml` bundles for browsers (the browser test checks it). In a browser, use `toXml`.
 *
 * @module
 */
import { create } from 'xmlbuilder2';
import type { Message } from '../envelope/index.ts';
import { CimError } from '../errors.ts';
import {
  emitMessage,
  XML_DECLARATION,
  type XmlAttrs,
  type XmlSink,
  type XmlWriteOptions,
} from '../xml/encode.ts';

/** An xmlbuilder2 node. */
export type XMLBuilder = ReturnType<typeof create>;

/** Builds an xmlbuilder2 document. Namespace declarations come from `ele(ns, qname)`. */
export class BuilderSink implements XmlSink {
  readonly doc: XMLBuilder;
  private cur: XMLBuilder;

  constructor() {
    this.doc = create({ version: '1.0', encoding: 'UTF-8' });
    this.cur = this.doc;
  }

  private static check(text: string, what: string): void {
    // xmlbuilder2 writes CR, TAB and LF in attributes literally, where a parser would normalise them away.
    if (/[\r]/.test(text))
      throw new CimError(
        'INVALID_ARGUMENT',
        `${what}: CR cannot be written losslessly by xmlbuilder2; use toXml`,
      );
  }

  open(ns: string, qname: string, attrs: XmlAttrs): void {
    this.cur = this.cur.ele(ns, qname);
    const colon = qname.indexOf(':');
    const own = colon < 0 ? 'xmlns' : `xmlns:${qname.slice(0, colon)}`;
    for (const [n, v] of attrs) {
      // `ele(ns, qname)` declares the element's own prefix; other declarations (childNs) are written as given.
      if (n === own) continue;
      if (n.startsWith('xmlns:')) {
        this.cur.att(n, v);
        continue;
      }
      if (n === 'xmlns') continue;
      if (/[\t\n\r]/.test(v))
        throw new CimError(
          'INVALID_ARGUMENT',
          `attribute ${n}: TAB/LF/CR cannot be written losslessly by xmlbuilder2; use toXml`,
        );
      this.cur.att(n, v);
    }
  }

  leaf(ns: string, qname: string, text: string, attrs: XmlAttrs): void {
    this.open(ns, qname, attrs);
    BuilderSink.check(text, qname);
    if (text !== '') this.cur.txt(text);
    this.cur = this.cur.up();
  }

  close(): void {
    this.cur = this.cur.up();
  }
}

/** Builds the message as an xmlbuilder2 document (e.g. to sign it); `.end()` gives the same text as `toXml`. */
export function toXmlBuilder(message: Message, options: XmlWriteOptions = {}): XMLBuilder {
  const sink = new BuilderSink();
  emitMessage(sink, message, options);
  return sink.doc;
}

/** Serialises an xmlbuilder2 document with the same formatting `toXml` uses. */
export function builderToString(
  doc: XMLBuilder,
  options: Pick<XmlWriteOptions, 'pretty' | 'declaration'> = {},
): string {
  const s = doc.end({ prettyPrint: options.pretty ?? false, indent: '  ', headless: true });
  return (options.declaration ?? true) ? XML_DECLARATION + (options.pretty ? '\n' : '') + s : s;
}
