import { isSecretKey } from '../../util/secret-keys.js';
import type { App, Finding, RuleContext } from '../types.js';

// A token in the file is a token in git history, in backups, in pm2's dump.
// This reads the file's text, not the parsed apps, because a secret is leaked
// wherever it is written: a JS constant, a comment, an args string. Messages
// name the key and the length, never the value, not even part of it.

const TELEGRAM = /\b\d{6,}:[A-Za-z0-9_-]{30,}/;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*):\/\/[^\s:@/'"`]+:([^\s@/'"`]+)@/i;
// key = 'value' | key: "value" | KEY=value (unquoted only where the format allows it).
const ASSIGN = /(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1\s*[:=]\s*(?:(['"`])(.*?)\3|([A-Za-z0-9][^\s'"`,;#}]*))/g;
const PLACEHOLDER = /^(x+|\*+|\.+|<.*>|\{\{.*\}\}|\d+|true|false|none|null|undefined|todo|secret|password|token)$|change.?me|replace.?me|your[-_ ]|placeholder|example|dummy|redacted|\$[{(\w]/i;
/** A value that names another variable (`secret: 'TELEGRAM_BOT_TOKEN'`) rather than holding one. */
const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

export type TextKind = 'code' | 'config';

function isPlaceholder(value: string): boolean {
  return value.length < 6 || PLACEHOLDER.test(value) || VARIABLE_NAME.test(value) || /^(\/|\.\/|~\/)/.test(value);
}

interface Hit {
  readonly what: string;
  readonly length: number;
  readonly key: string | null;
}

function secretIn(line: string, kind: TextKind): Hit | null {
  for (const m of line.matchAll(ASSIGN)) {
    const key = m[2] ?? '';
    const value = m[4] ?? (kind === 'config' ? m[5] : undefined);
    if (value === undefined || !isSecretKey(key, { strict: true }) || isPlaceholder(value)) continue;
    // `TOKEN=insert your key here`: an unquoted word followed by more words is a sentence, not a secret.
    if (m[5] !== undefined && /^[A-Za-z]+$/.test(value) && /^[ \t]+[A-Za-z]+[ \t]+[A-Za-z]/.test(line.slice((m.index ?? 0) + m[0].length))) continue;
    return { what: `"${key}"`, length: value.length, key };
  }
  const tg = TELEGRAM.exec(line);
  if (tg) return { what: 'a Telegram bot token', length: tg[0].length, key: null };
  const url = URL_CREDENTIALS.exec(line);
  if (url && !isPlaceholder(url[2] ?? '')) return { what: `the password in a ${url[1]}:// URL`, length: (url[2] ?? '').length, key: null };
  return null;
}

/** The app a line belongs to: the one on that line, or the last one starting above it. */
function owner(apps: readonly App[], line: number, format: App['format'] | null): App | null {
  if (format === 'shell') return apps.find((a) => a.line === line) ?? null;
  const above = apps.filter((a) => a.line !== null && a.line <= line);
  return above[above.length - 1] ?? null;
}

function fix(hit: Hit, app: App | null, format: App['format'] | null): string {
  const key = hit.key ?? 'it';
  if (format === 'botstack') return `put ${key} in <root>/.env (or the environment), list it in ${app?.name ?? '<service>'}.secrets, and rotate the leaked value`;
  if (format === 'shell') return `read ${key} from a .env file outside git (set -a; . ./.env; set +a), and rotate the leaked value`;
  return `read ${key} from the environment (export it from a .env outside git before pm2 start), and rotate the leaked value`;
}

export function inlineSecrets(text: string, ctx: RuleContext, kind: TextKind, format: App['format'] | null): Finding[] {
  const out: Finding[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const hit = secretIn(line, kind);
    if (!hit) continue;
    const app = owner(ctx.apps, i + 1, format);
    const message = `${hit.what} is written literally in the file (${hit.length} characters, value hidden); anyone who can read the file or its git history has it`;
    out.push({ rule: 'inline-secret', severity: 'error', file: ctx.file, line: i + 1, service: app?.name ?? null, message, fix: fix(hit, app, format) });
  }
  return out;
}
