// Line numbers for apps read from data (JSON, YAML, a JS module): the data has
// none, so find where the app's name is written. Apps appear in file order, so
// each search starts after the previous app's line; duplicates get their own.

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** 1-based line where `key: value` (quoted or not, `:` or `=`) appears at or after `from`, or null. */
export function lineOfKey(text: string, key: string, value: string, from = 1): number | null {
  const re = new RegExp(`(^|[^\\w])['"]?${esc(key)}['"]?\\s*[:=]\\s*['"\`]?${esc(value)}['"\`]?\\s*(,|}|;|#|$)`);
  const lines = text.split('\n');
  for (let i = Math.max(0, from - 1); i < lines.length; i++) {
    if (re.test(lines[i] ?? '')) return i + 1;
  }
  return null;
}

/** Lines of each app by its name (or its script when unnamed), in order. */
export function appLines(text: string, apps: readonly { name: string; script?: string }[], key = 'name'): (number | null)[] {
  let from = 1;
  return apps.map((a) => {
    const line = lineOfKey(text, key, a.name, from) ?? (a.script ? lineOfKey(text, 'script', a.script, from) : null);
    if (line !== null) from = line + 1;
    return line;
  });
}
