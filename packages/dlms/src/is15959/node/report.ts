/**
 * People-facing forms of a {@link MeterCheckReport}: plain text for a terminal and a self-contained HTML
 * page (no scripts, no external resources; every value escaped) that a meter maker can read and archive.
 *
 * @module
 */
import type { CheckOutcome, CheckStatus, MeterCheckReport } from './check.ts';

const MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

/** host:port of a live check; the trace's name for a trace check (port 0). */
const where = (r: MeterCheckReport): string =>
  r.meter.port === 0 ? `trace ${r.meter.host}` : `${r.meter.host}:${r.meter.port}`;

/** The report as text: one line per check, then its findings (with path and bytes) indented. */
export function renderCheckText(r: MeterCheckReport): string {
  const lines = [
    `IS 15959 conformance check of ${r.meter.serial ? `${r.meter.serial} at ` : ''}${where(r)}`,
    `${r.startedAt}, ${r.durationMs} ms: ${r.counts.pass} passed, ${r.counts.fail} failed, ${r.counts.warn} with warnings, ${r.counts.skip} skipped`,
    '',
  ];
  for (const c of r.checks) {
    lines.push(`${MARK[c.status]}  ${c.title}${c.detail ? ` (${c.detail})` : ''}`);
    for (const f of c.findings) {
      lines.push(`      ${f.severity} ${f.id}: ${f.message}`);
      lines.push(`        at ${f.path}${f.bytes ? `  bytes ${f.bytes}` : ''}`);
    }
  }
  lines.push('', r.passed ? 'RESULT: PASS' : 'RESULT: FAIL');
  return `${lines.join('\n')}\n`;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function row(c: CheckOutcome): string {
  const findings = c.findings
    .map(
      (f) =>
        `<li class="${esc(f.severity)}"><b>${esc(f.severity)} ${esc(f.id)}</b>: ${esc(f.message)}<br><small>at <code>${esc(f.path)}</code>${
          f.bytes ? ` bytes <code>${esc(f.bytes)}</code>` : ''
        }</small></li>`,
    )
    .join('');
  return `<tr class="${c.status}"><td class="st">${MARK[c.status]}</td><td>${esc(c.title)}<br><small><code>${esc(c.id)}</code>${
    c.detail ? ` — ${esc(c.detail)}` : ''
  }</small>${findings ? `<ul>${findings}</ul>` : ''}</td></tr>`;
}

/** The report as one self-contained HTML page. */
export function renderCheckHtml(r: MeterCheckReport): string {
  const who = `${r.meter.serial ? `${r.meter.serial} at ` : ''}${where(r)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IS 15959 check: ${esc(who)}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
h1{font-size:1.4em}.summary{padding:.6em 1em;border-radius:6px;font-weight:600}
.summary.ok{background:#e3f6e5}.summary.ko{background:#fbe4e4}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:.5em;vertical-align:top}
td.st{font-weight:700;width:4em}tr.pass td.st{color:#1a7f37}tr.fail td.st{color:#c62828}
tr.warn td.st{color:#9a6700}tr.skip td.st{color:#777}ul{margin:.4em 0 0 1em;padding:0}
li.error{color:#8b1a1a}li.warning{color:#7a5200}code{font-size:.9em;word-break:break-all}
</style></head><body>
<h1>IS 15959 conformance check</h1>
<p>Meter <b>${esc(who)}</b>, checked ${esc(r.startedAt)} in ${r.durationMs} ms.</p>
<p class="summary ${r.passed ? 'ok' : 'ko'}">${r.passed ? 'PASS' : 'FAIL'}: ${r.counts.pass} passed, ${r.counts.fail} failed, ${r.counts.warn} with warnings, ${r.counts.skip} skipped</p>
<table>${r.checks.map(row).join('\n')}</table>
</body></html>
`;
}
