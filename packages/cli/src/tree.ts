/**
 * Renders a JSON-like value as an indented tree for people:
 *
 * ```text
 * get-request-normal
 * ├─ invokeIdAndPriority: 0x81 (id 1, confirmed, high)
 * └─ attribute
 *    ├─ classId: 8
 *    └─ instanceId: 0.0.1.0.0.255
 * ```
 */
export function renderTree(value: unknown, title?: string): string {
  const lines: string[] = [];
  if (title !== undefined) lines.push(title);
  walk(value, '', lines);
  return `${lines.join('\n')}\n`;
}

/**
 * C0 and C1 controls, DEL, and the Unicode bidirectional overrides/isolates: bytes a meter can put in a
 * visible-string or utf8-string that a terminal would act on (NUL padding, ESC sequences, reordering)
 * instead of showing.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\\]/g;

/**
 * A string as it is safe to print: each unprintable character becomes `\xNN` (or `\uNNNN`), and a
 * backslash is doubled so the escapes stay unambiguous. `13943597\0\0` prints as `13943597\x00\x00`.
 */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    if (c === '\\') return '\\\\';
    const n = c.charCodeAt(0);
    return n <= 0xff
      ? `\\x${n.toString(16).toUpperCase().padStart(2, '0')}`
      : `\\u${n.toString(16).toUpperCase()}`;
  });
}

function scalar(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return printable(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex').toUpperCase();
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (typeof v === 'object' && Object.keys(v as object).length === 0) return '{}';
  return undefined;
}

/** A `{type, value}` node with a scalar value prints on one line: `long-unsigned 2300`. */
function typedScalar(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  const o = v as { type?: unknown; value?: unknown };
  if (typeof o.type !== 'string') return undefined;
  if (keys.length === 1) return o.type;
  if (keys.length === 2 && 'value' in o) {
    const s = scalar(o.value);
    if (s !== undefined) return `${o.type} ${s}`;
  }
  return undefined;
}

function walk(value: unknown, prefix: string, lines: string[]): void {
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [`[${i}]`, v])
    : Object.entries(value as Record<string, unknown>);
  entries.forEach(([k, v], i) => {
    const last = i === entries.length - 1;
    const branch = last ? '└─ ' : '├─ ';
    const s = scalar(v) ?? typedScalar(v);
    if (s !== undefined) {
      lines.push(`${prefix}${branch}${k}: ${s}`);
      return;
    }
    const t = (v as { type?: unknown }).type;
    lines.push(`${prefix}${branch}${k}${typeof t === 'string' ? `: ${t}` : ''}`);
    const child =
      typeof t === 'string' && 'value' in (v as object) && Object.keys(v as object).length === 2
        ? (v as { value: unknown }).value
        : v;
    walk(child, prefix + (last ? '   ' : '│  '), lines);
  });
}
