import { basename } from 'node:path';
import type { Launch } from '../model/shell/run.js';
import type { Finding, RuleContext } from '../types.js';

// `pip install -r requirements.txt` in a start path runs on every start and
// every boot: each one may install different versions (an unpinned line, a new
// release, a yanked one), and with PyPI unreachable the start fails. A reboot
// can break a stack that worked. Installs belong to the deploy, which can check
// and roll back.

const FIX = 'install when the code changes, not when it starts: `botstack deploy` runs pip only when requirements change (and rolls back if the services fail their checks); pin versions (pip freeze > requirements.txt); remove the install from the start path';
const PIP_WORDS = /(^|[\s;&|(="'])(?:[\w./${}-]*\/)?(pip[\d.]*|python[\d.]*\s+-m\s+pip|uv\s+pip)\s+install\b[^\n;&|]*\s(-r|--requirement)(\s|=)/;
/** Lines of a non-shell file that run at start: unit Exec lines, CMD/ENTRYPOINT, compose command, a Procfile entry, pm2 script/args, supervisord command. */
const START_LINE = /^\s*(Exec(Start|StartPre|StartPost)=|(CMD|ENTRYPOINT)\b|command\s*[:=]|entrypoint\s*:|[\w-]+:\s|["']?(script|args)["']?\s*:|@reboot\b)/;

const isPipInstallR = (argv: readonly string[]): boolean => {
  const prog = basename(argv[0] ?? '');
  const words = /^python/.test(prog) && argv[1] === '-m' ? argv.slice(2) : prog === 'uv' ? argv.slice(1) : argv;
  return /^pip[\d.]*$/.test(basename(words[0] ?? '')) && words[1] === 'install' && words.some((w) => w === '-r' || w.startsWith('--requirement') || /^-r\S/.test(w));
};

const finding = (ctx: RuleContext, line: number, what: string): Finding => ({
  rule: 'pip-install-on-start',
  severity: ctx.profile === 'development' ? 'info' : 'warning',
  file: ctx.file,
  line,
  service: null,
  message: `\`${what}\` runs on every start of this ${ctx.apps.length > 0 ? 'start path' : 'file'}: every boot may change the venv under the services (new versions, or a failed start when PyPI is unreachable)`,
  fix: FIX,
});

/** An `if` that installs only what is missing: `if ! python3 -c "import x"`, `if [ ! -d venv ]`, `if ! pip show x`. */
const ONLY_WHEN_MISSING = /^\s*(el)?if\s+(!\s*(\S*python[\d.]*\s+-c\s+["']?\s*import\b|\S*pip[\d.]*\s+show\b|command\s+-v\b)|\[\[?\s*!\s*-[dfex]\s+\S*venv)/;

/** The if lines an install sits under (from its branch choices: `if@<at>:<line>`), any of which tests for something missing. */
function onlyWhenMissing(l: Launch, lines: readonly string[]): boolean {
  return Object.keys(l.choices).some((g) => {
    const m = /^if@[^:]*:(\d+)$/.exec(g);
    return m !== null && (l.choices[g] ?? 1) === 0 && ONLY_WHEN_MISSING.test(lines[Number(m[1]) - 1] ?? '');
  });
}

/** A start script's pip installs (only where it starts services: a setup script installs once, by hand). */
export function pipInShell(launches: readonly Launch[], ctx: RuleContext, text = ''): Finding[] {
  if (ctx.apps.length === 0) return [];
  const seen = new Set<number>();
  const lines = text.split('\n');
  return launches.flatMap((l) => {
    if (l.dev || !isPipInstallR(l.argv) || seen.has(l.ownLine) || onlyWhenMissing(l, lines)) return [];
    seen.add(l.ownLine);
    return [finding(ctx, l.ownLine, l.argv.join(' '))];
  });
}

/** pip installs in the start lines of units, Dockerfiles (CMD, not RUN), compose, Procfiles, pm2 files, supervisord. */
export function pipInStartLines(text: string, ctx: RuleContext): Finding[] {
  return text.split('\n').flatMap((line, i) => {
    if (/^\s*(#|\/\/)/.test(line) || /^\s*RUN\b/.test(line) || !START_LINE.test(line) || !PIP_WORDS.test(line)) return [];
    const m = PIP_WORDS.exec(line);
    const what = line.slice((m?.index ?? 0) + (m?.[1]?.length ?? 0)).split(/\s*(?:&&|;|\|\||["'])\s*/)[0] ?? 'pip install -r';
    return [finding(ctx, i + 1, what.trim())];
  });
}
