import { describe, expect, it } from 'vitest';
import { printable, renderTree } from '../src/tree.ts';

describe('renderTree: strings from a meter are shown, never acted on by the terminal', () => {
  it('escapes the NUL padding of a real L+G E350 meter number (amsreader-firmware frames/L&G-E350_Norway.raw)', () => {
    const out = renderTree({ type: 'visible-string', value: `13943597${'\0'.repeat(8)}` }, 'x');
    expect(out).toBe(
      'x\n├─ type: visible-string\n└─ value: 13943597\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\n',
    );
    expect(out).not.toMatch(/\0/);
  });

  it('escapes ESC sequences, DEL, C1 controls and bidi overrides, and doubles a backslash', () => {
    expect(printable('\u001b[2J')).toBe('\\x1B[2J');
    expect(printable('a\u007fb\u009bc')).toBe('a\\x7Fb\\x9Bc');
    expect(printable('\u202eabc\u2066')).toBe('\\u202Eabc\\u2066');
    expect(printable('C:\\x00')).toBe('C:\\\\x00');
  });

  it('leaves printable text alone, including non-ASCII letters', () => {
    expect(printable('Kamstrup_V0001 Zähler ≥ 230 V')).toBe('Kamstrup_V0001 Zähler ≥ 230 V');
  });

  it('prints a typed scalar on one line, escaped', () => {
    const out = renderTree({ body: [{ type: 'visible-string', value: 'A\tB' }] });
    expect(out).toBe('└─ body\n   └─ [0]: visible-string A\\x09B\n');
  });
});
