import type { Finding, Severity } from './types.js';

// How findings are shown: a block per finding for people, one JSON object for CI.

const ORDER: readonly Severity[] = ['error', 'warning', 'info'];

export function formatFinding(f: Finding): string {
  const where = `${f.file}${f.line !== null ? `:${f.line}` : ''}`;
  return `${f.severity} ${f.rule} at ${where}${f.service !== null ? ` (${f.service})` : ''}\n  ${f.message}\n  fix: ${f.fix}\n`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 || word === 'info' ? '' : 's'}`;

export function summary(findings: readonly Finding[], files: number): string {
  const counts = ORDER.map((s) => plural(findings.filter((f) => f.severity === s).length, s));
  return `${counts.join(', ')} in ${plural(files, 'file')}`;
}

export function formatHuman(findings: readonly Finding[], files: number): string {
  return [...findings.map(formatFinding), summary(findings, files), ''].join('\n');
}

/** Exactly {"findings":[{rule,severity,file,line,service,message,fix}]}, keys in that order. */
export function formatJson(findings: readonly Finding[]): string {
  const clean = findings.map((f) => ({ rule: f.rule, severity: f.severity, file: f.file, line: f.line, service: f.service, message: f.message, fix: f.fix }));
  return `${JSON.stringify({ findings: clean })}\n`;
}
