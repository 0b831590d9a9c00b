/**
 * XML character-level helpers: escaping for the writers, entity decoding for the readers.
 *
 * Only the five predefined entities and numeric character references are known; DTDs are refused before
 * parsing, so any other `&name;` is an undeclared entity (`MALFORMED_XML`), never expanded.
 *
 * @module
 */
import { CimError } from '../errors.ts';

// Characters not allowed in XML 1.0 (outside #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]),
// including lone surrogates.
/** Throws `INVALID_ARGUMENT` when `s` holds a character XML 1.0 cannot carry. */
export function assertXmlChars(s: string, what: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    let bad = false;
    if (c < 0x20) bad = c !== 0x09 && c !== 0x0a && c !== 0x0d;
    else if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else bad = true;
    } else if (c <= 0xdfff) bad = true;
    else bad = c === 0xfffe || c === 0xffff;
    if (bad)
      throw new CimError('INVALID_ARGUMENT', `${what}: contains a character that XML 1.0 cannot represent`);
  }
}

const TEXT_SPECIAL = /[&<>\r]/;
const ATTR_SPECIAL = /[&<>"\t\n\r]/;

/** Escapes character data: `& < >` as entities, CR as `&#xD;` (so it survives line-end normalisation). */
export function escapeText(s: string): string {
  if (!TEXT_SPECIAL.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x26) out += '&amp;';
    else if (c === 0x3c) out += '&lt;';
    else if (c === 0x3e) out += '&gt;';
    else if (c === 0x0d) out += '&#xD;';
    else out += s[i];
  }
  return out;
}

/** Escapes an attribute value (double-quoted): `& < > "` as entities, TAB/LF/CR as character references. */
export function escapeAttr(s: string): string {
  if (!ATTR_SPECIAL.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x26) out += '&amp;';
    else if (c === 0x3c) out += '&lt;';
    else if (c === 0x3e) out += '&gt;';
    else if (c === 0x22) out += '&quot;';
    else if (c === 0x09) out += '&#x9;';
    else if (c === 0x0a) out += '&#xA;';
    else if (c === 0x0d) out += '&#xD;';
    else out += s[i];
  }
  return out;
}

/**
 * Decodes the predefined entities and character references of raw character data. Unknown entities and
 * references to characters XML forbids are `MALFORMED_XML`.
 */
export function decodeEntities(raw: string, offset?: number): string {
  const amp = raw.indexOf('&');
  if (amp < 0) return raw;
  let out = raw.slice(0, amp);
  let i = amp;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c !== 0x26) {
      const next = raw.indexOf('&', i);
      const end = next < 0 ? raw.length : next;
      out += raw.slice(i, end);
      i = end;
      continue;
    }
    const semi = raw.indexOf(';', i + 1);
    if (semi < 0 || semi - i > 12) {
      throw new CimError('MALFORMED_XML', 'unterminated entity or character reference', { offset });
    }
    const name = raw.slice(i + 1, semi);
    switch (name) {
      case 'amp':
        out += '&';
        break;
      case 'lt':
        out += '<';
        break;
      case 'gt':
        out += '>';
        break;
      case 'quot':
        out += '"';
        break;
      case 'apos':
        out += "'";
        break;
      default: {
        let cp = Number.NaN;
        if (/^#x[0-9a-fA-F]{1,6}$/.test(name)) cp = Number.parseInt(name.slice(2), 16);
        else if (/^#[0-9]{1,7}$/.test(name)) cp = Number.parseInt(name.slice(1), 10);
        else {
          throw new CimError('MALFORMED_XML', `undeclared entity &${name.slice(0, 20)};`, { offset });
        }
        const ok =
          cp === 0x9 ||
          cp === 0xa ||
          cp === 0xd ||
          (cp >= 0x20 && cp <= 0xd7ff) ||
          (cp >= 0xe000 && cp <= 0xfffd) ||
          (cp >= 0x10000 && cp <= 0x10ffff);
        if (!ok)
          throw new CimError('MALFORMED_XML', `character reference &${name}; is not an XML character`, {
            offset,
          });
        out += String.fromCodePoint(cp);
      }
    }
    i = semi + 1;
  }
  return out;
}

/** Attribute-value normalisation (XML 1.0 §3.3.3) of the raw value, then entity decoding. */
export function decodeAttr(raw: string, offset?: number): string {
  // AttValue excludes '<' (XML 1.0 §3.1); fast-xml-parser lets it through, so we check.
  if (raw.includes('<'))
    throw new CimError('MALFORMED_XML', 'not well-formed XML: "<" in an attribute value', { offset });
  return decodeEntities(raw.replace(/[\t\n\r]/g, ' '), offset);
}

/** Line-end normalisation (XML 1.0 §2.11) of raw character data, then entity decoding. */
export function decodeText(raw: string, offset?: number): string {
  const s = raw.indexOf('\r') >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
  return decodeEntities(s, offset);
}

/** 1-based line/column → 0-based character offset in `text`. */
export function lineColToOffset(text: string, line: number, col: number | undefined): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) break;
    off = nl + 1;
  }
  return off + Math.max(0, (col ?? 1) - 1);
}
