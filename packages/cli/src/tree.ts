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

function scalar(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return v;
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
