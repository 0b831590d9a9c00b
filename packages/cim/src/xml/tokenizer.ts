/**
 * An incremental XML tokenizer for the streaming reader: fed text chunks of any size, it returns the
 * complete tokens found so far and keeps the unfinished tail. It is an explicit state machine over the
 * buffer (no recursion, no regex backtracking on untrusted input) and checks what well-formedness it can
 * locally: tag syntax, quoted attribute values without `<`, unique attribute names, matching end tags,
 * a single root, no text outside it. DTDs are refused (`FORBIDDEN_CONSTRUCT`) as in the whole-document
 * reader; entities are left raw for the caller to decode with the predefined set only.
 *
 * fast-xml-parser has no SAX mode, hence this small tokenizer for the envelope/profile subset of XML we
 * stream (no DTD, no entities beyond the predefined ones).
 *
 * @module
 */
import { CimError } from '../errors.ts';

export type XmlToken =
  | {
      t: 'open';
      name: string;
      attrs: Record<string, string> | undefined;
      selfClosing: boolean;
      offset: number;
    }
  | { t: 'close'; name: string; offset: number }
  /** Raw character data (entities not decoded) or CDATA content (`cdata: true`, literal). */
  | { t: 'text'; raw: string; cdata: boolean; offset: number };

export interface TokenizerLimits {
  /** Largest single token (a start tag, a text run, a comment…) in characters. Default 16 Mi. */
  maxTokenLength: number;
  /** Maximum element nesting depth. Default 64. */
  maxDepth: number;
}

const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-:\u00B7-\uFFFF]*$/;
/** XMLDecl after "<?xml" (XML 1.0 §2.8): VersionInfo EncodingDecl? SDDecl? S? */
export const XML_DECL =
  /^\s+version\s*=\s*(?:"1\.\d+"|'1\.\d+')(?:\s+encoding\s*=\s*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?(?:\s+standalone\s*=\s*(?:"(?:yes|no)"|'(?:yes|no)'))?\s*$/;
const WS = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

export class XmlTokenizer {
  private buf = '';
  private pos = 0;
  /** Absolute offset of buf[0] in the whole input. */
  private base = 0;
  private readonly stack: string[] = [];
  private rootSeen = false;
  private rootClosed = false;
  private ended = false;
  private readonly limits: TokenizerLimits;

  constructor(limits: Partial<TokenizerLimits> = {}) {
    this.limits = { maxTokenLength: 16 * 1024 * 1024, maxDepth: 64, ...limits };
  }

  /** Current depth (open elements). */
  get depth(): number {
    return this.stack.length;
  }

  /** Feeds a chunk; returns the tokens completed by it. */
  push(chunk: string): XmlToken[] {
    if (this.ended) throw new CimError('INVALID_ARGUMENT', 'tokenizer already ended');
    if (this.base === 0 && this.pos === 0 && this.buf === '' && chunk.charCodeAt(0) === 0xfeff)
      chunk = chunk.slice(1);
    if (this.pos > 0) {
      this.base += this.pos;
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
    this.buf += chunk;
    return this.scan();
  }

  /** Signals the end of input; throws MALFORMED_XML if the document is not complete. */
  end(): XmlToken[] {
    const out = this.scan();
    this.ended = true;
    if (this.pos < this.buf.length) {
      const rest = this.buf.slice(this.pos);
      if (rest.trim() !== '') throw this.err('unexpected end of input inside a token', this.pos);
    }
    if (!this.rootSeen) throw this.err('no root element', this.pos);
    if (this.stack.length > 0)
      throw this.err(`unexpected end of input: <${this.stack[this.stack.length - 1]}> not closed`, this.pos);
    return out;
  }

  private err(msg: string, at: number): CimError {
    return new CimError('MALFORMED_XML', `not well-formed XML: ${msg}`, { offset: this.base + at });
  }

  private tooLong(at: number): void {
    if (this.buf.length - at > this.limits.maxTokenLength) {
      throw new CimError(
        'LIMIT_EXCEEDED',
        `an XML token is longer than ${this.limits.maxTokenLength} characters`,
        {
          offset: this.base + at,
        },
      );
    }
  }

  private scan(): XmlToken[] {
    const out: XmlToken[] = [];
    const b = this.buf;
    for (;;) {
      const start = this.pos;
      if (start >= b.length) break;
      if (b.charCodeAt(start) !== 0x3c /* < */) {
        const lt = b.indexOf('<', start);
        if (lt < 0) {
          this.tooLong(start);
          if (!this.ended) break;
        }
        const end = lt < 0 ? b.length : lt;
        const raw = b.slice(start, end);
        this.text(raw, start, false, out);
        this.pos = end;
        continue;
      }
      // Markup.
      if (b.startsWith('<?', start)) {
        const e = b.indexOf('?>', start + 2);
        if (e < 0) {
          if (this.partial(start)) break;
        }
        // PITarget is a Name; "xml" (any case) is reserved for the declaration at the very start.
        const target = /^[^\s?]*/.exec(b.slice(start + 2, Math.min(e, start + 64)))![0];
        if (!NAME.test(target) || target.includes(':'))
          throw this.err('bad processing instruction target', start);
        if (target.toLowerCase() === 'xml') {
          if (this.base + start !== 0) throw this.err('XML declaration not at the start', start);
          if (!XML_DECL.test(b.slice(start + 5, e))) throw this.err('malformed XML declaration', start);
        }
        const after = b.charCodeAt(start + 2 + target.length);
        if (start + 2 + target.length < e && !WS(after)) throw this.err('bad processing instruction', start);
        this.pos = e + 2;
        continue;
      }
      if (b.startsWith('<!--', start)) {
        const e = b.indexOf('-->', start + 4);
        if (e < 0) {
          if (this.partial(start)) break;
        }
        this.pos = e + 3;
        continue;
      }
      if (b.startsWith('<![CDATA[', start)) {
        const e = b.indexOf(']]>', start + 9);
        if (e < 0) {
          if (this.partial(start)) break;
        }
        this.text(b.slice(start + 9, e), start, true, out);
        this.pos = e + 3;
        continue;
      }
      if (b.charCodeAt(start + 1) === 0x21 /* ! */) {
        // Possibly a prefix of "<!--" or "<![CDATA[" cut by the chunk boundary.
        const rest = b.slice(start, start + 9);
        if (b.length - start < 9 && ('<!--'.startsWith(rest) || '<![CDATA['.startsWith(rest))) {
          break;
        }
        const word = /^<!([A-Za-z]*)/.exec(b.slice(start, start + 12))![1]!;
        if (b.length - start < 12 && /^[A-Za-z]*$/.test(b.slice(start + 2)) && !this.ended) break;
        if (/^(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)$/i.test(word)) {
          throw new CimError(
            'FORBIDDEN_CONSTRUCT',
            `<!${word.toUpperCase()} is refused: DTDs and entity declarations are not accepted`,
            {
              offset: this.base + start,
            },
          );
        }
        throw this.err('unexpected <!', start);
      }
      const gt = this.tagEnd(start);
      if (gt < 0) {
        if (this.partial(start)) break;
      }
      if (b.charCodeAt(start + 1) === 0x2f /* / */) {
        const name = b.slice(start + 2, gt).trimEnd();
        const open = this.stack.pop();
        if (open !== name)
          throw this.err(
            open === undefined
              ? `unexpected </${name.slice(0, 40)}>`
              : `expected </${open}>, found </${name.slice(0, 40)}>`,
            start,
          );
        if (this.stack.length === 0) this.rootClosed = true;
        out.push({ t: 'close', name, offset: this.base + start });
      } else {
        out.push(this.startTag(start, gt));
      }
      this.pos = gt + 1;
    }
    return out;
  }

  /** An unterminated construct at `start`: wait for more input, or fail at the end. Returns true to wait. */
  private partial(start: number): boolean {
    if (this.ended) throw this.err('unterminated markup', start);
    this.tooLong(start);
    return true;
  }

  /** Index of the `>` closing the tag at `start`, skipping quoted attribute values; -1 if not yet there. */
  private tagEnd(start: number): number {
    const b = this.buf;
    let q = 0;
    for (let i = start + 1; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (q !== 0) {
        if (c === q) q = 0;
      } else if (c === 0x22 || c === 0x27) q = c;
      else if (c === 0x3e) return i;
      else if (c === 0x3c) throw this.err('"<" inside a tag', i);
    }
    return -1;
  }

  private text(raw: string, at: number, cdata: boolean, out: XmlToken[]): void {
    if (this.stack.length === 0) {
      if (cdata || raw.trim() !== '')
        throw this.err(
          this.rootClosed ? 'content after the root element' : 'text before the root element',
          at,
        );
      return;
    }
    if (!cdata && raw.includes(']]>')) throw this.err('"]]>" in character data', at);
    out.push({ t: 'text', raw, cdata, offset: this.base + at });
  }

  private startTag(start: number, gt: number): XmlToken {
    const b = this.buf;
    let end = gt;
    const selfClosing = b.charCodeAt(gt - 1) === 0x2f;
    if (selfClosing) end = gt - 1;
    let i = start + 1;
    while (i < end && !WS(b.charCodeAt(i))) i++;
    const name = b.slice(start + 1, i);
    if (!NAME.test(name)) throw this.err(`bad element name "${name.slice(0, 40)}"`, start);
    let attrs: Record<string, string> | undefined;
    for (;;) {
      const before = i;
      while (i < end && WS(b.charCodeAt(i))) i++;
      if (i >= end) break;
      if (i === before) throw this.err('attributes must be separated by whitespace', i);
      const eq = b.indexOf('=', i);
      if (eq < 0 || eq >= end) throw this.err('attribute without a value', i);
      const an = b.slice(i, eq).trimEnd();
      if (!NAME.test(an)) throw this.err(`bad attribute name "${an.slice(0, 40)}"`, i);
      i = eq + 1;
      while (i < end && WS(b.charCodeAt(i))) i++;
      const qc = b.charCodeAt(i);
      if (qc !== 0x22 && qc !== 0x27) throw this.err('attribute value must be quoted', i);
      const close = b.indexOf(qc === 0x22 ? '"' : "'", i + 1);
      if (close < 0 || close >= end) throw this.err('unterminated attribute value', i);
      const value = b.slice(i + 1, close);
      if (value.includes('<')) throw this.err('"<" in an attribute value', i);
      attrs ??= Object.create(null) as Record<string, string>;
      if (an in attrs) throw this.err(`attribute ${an.slice(0, 40)} repeated`, i);
      attrs[an] = value;
      i = close + 1;
    }
    if (this.rootClosed || (this.stack.length === 0 && this.rootSeen))
      throw this.err('more than one root element', start);
    this.rootSeen = true;
    if (!selfClosing) {
      if (this.stack.length >= this.limits.maxDepth) {
        throw new CimError('LIMIT_EXCEEDED', `XML nesting deeper than ${this.limits.maxDepth}`, {
          offset: this.base + start,
        });
      }
      this.stack.push(name);
    } else if (this.stack.length === 0) this.rootClosed = true;
    return { t: 'open', name, attrs, selfClosing, offset: this.base + start };
  }
}
