import { fmtBytes } from '../../util/format.js';
import { ERROR_KINDS } from './line.js';
import type { ServiceErrors, ServiceLogs, ShownLine } from './read.js';

// Text for `botstack logs`: a header per service, then its lines tagged with
// the stream, so an operator sees at once which lines came from stderr.

const tag = (service: string, l: ShownLine): string => `${service}${l.stream === 'err' ? '!' : '|'} ${l.text}`;

export function renderLogs(logs: readonly ServiceLogs[]): string {
  const out: string[] = [];
  for (const s of logs) {
    out.push(`==> ${s.service}: ${s.files.join(', ')}`);
    for (const m of s.missing) out.push(`    (no file yet at ${m})`);
    if (s.lines.length === 0 && s.missing.length < s.files.length) out.push('    (no lines in that window)');
    for (const l of s.lines) out.push(tag(s.service, l));
  }
  return out.join('\n') + '\n';
}

function countsText(s: ServiceErrors): string {
  if (s.counts.total === 0) return 'no errors';
  const parts = ERROR_KINDS.filter((k) => s.counts[k] > 0).map((k) => `${s.counts[k]} ${k}${s.counts[k] === 1 ? '' : 's'}`);
  return `${s.counts.total} error line${s.counts.total === 1 ? '' : 's'} (${parts.join(', ')})`;
}

export function renderErrors(report: readonly ServiceErrors[], window: string): string {
  const out: string[] = [];
  for (const s of report) {
    out.push(`${s.service}: ${countsText(s)} in ${window}, ${fmtBytes(s.bytesScanned)} scanned`);
    for (const m of s.missing) out.push(`    (no file yet at ${m})`);
    for (const l of s.recent) out.push(`  ${l.kind.padEnd(9)} ${tag(s.service, l)}`);
  }
  const total = report.reduce((a, s) => a + s.counts.total, 0);
  out.push(total === 0 ? 'no error lines found' : `${total} error line${total === 1 ? '' : 's'} in total; the newest are shown above`);
  return out.join('\n') + '\n';
}
