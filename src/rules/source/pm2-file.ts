import { parseDocument } from 'yaml';

// Reading an ordinary pm2 ecosystem file's data. pm2 accepts `{ apps: [...] }`,
// a bare array of apps, or a single app object; so do we.

export class UnreadableError extends Error {
  readonly code = 'BOTSTACK_UNREADABLE';
}

/** The apps array of a parsed ecosystem, or an error saying what was found instead. */
export function appsOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (data !== null && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    if (Array.isArray(d.apps)) return d.apps;
    if (typeof d.script === 'string') return [d];
    if ('apps' in d) throw new UnreadableError(`"apps" is ${typeof d.apps}, not an array of apps`);
  }
  throw new UnreadableError('found no "apps" array (expected { apps: [ { name, script, ... } ] })');
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(message);
    const where = pos && !/line \d+/.test(message) ? ` (line ${text.slice(0, Number(pos[1])).split('\n').length})` : '';
    throw new UnreadableError(`invalid JSON: ${message}${where}`);
  }
}

export function parseYaml(text: string): unknown {
  const doc = parseDocument(text);
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new UnreadableError(`invalid YAML${line !== undefined ? ` at line ${line}` : ''}: ${(first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  return doc.toJS() as unknown;
}

/** The apps a JS ecosystem module exports: `module.exports = { apps }`, `export const apps`, or a default. */
export function moduleApps(mod: Record<string, unknown>): unknown {
  if (Array.isArray(mod.apps)) return mod.apps;
  return mod.default;
}
