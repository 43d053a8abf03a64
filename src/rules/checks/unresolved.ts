import type { App, Finding, Rule, RuleContext } from '../types.js';
import { finding } from '../types.js';

// A path nobody resolved. pm2 and botstack take a path literally: no shell ever
// expands `$(cd "$(dirname "$0")" && pwd)/venv` or `$APP_HOME/api` in a stack
// file or an ecosystem file, so the service would start in (or from) a folder
// of that name, or not at all. init writes what it cannot resolve as a
// `// FILL IN <field>: …` comment instead of code; both are errors here, and
// `start` refuses both with the same message.

// Shell, and template placeholders (`{{ app_dir }}`), neither of which pm2 or botstack fills in.
const SHELL = /\$\(|`|\$\{|\$[A-Za-z_]|\{\{/;
export const FILL_IN = /^\s*\/\/\s*FILL IN\s+([\w.]+):\s*(.*)$/;

/** The stack field an app's value came from, for the message. */
function fields(app: App): { field: string; value: string }[] {
  const out: { field: string; value: string }[] = [];
  if (app.cwd !== null && SHELL.test(app.cwd)) out.push({ field: 'cwd', value: app.cwd });
  const venvField = app.format === 'botstack' ? 'venv' : 'interpreter';
  if (app.interpreter !== null && SHELL.test(app.interpreter)) out.push({ field: venvField, value: app.interpreter });
  const script = app.script ?? app.argv.find((w) => /\.(py|js|mjs|cjs|ts|sh)$/.test(w));
  // A command line (with spaces) runs through a shell, which expands it; only a path is taken literally.
  if (script !== undefined && !/\s/.test(script) && SHELL.test(script)) out.push({ field: 'script', value: script });
  const db = app.argv.indexOf('--dbpath');
  if (db >= 0 && SHELL.test(app.argv[db + 1] ?? '')) out.push({ field: 'dbpath', value: app.argv[db + 1] ?? '' });
  return out;
}

/** A botstack or pm2 app with shell syntax in a path: pm2 passes it on unexpanded. */
export const unresolvedPath: Rule = (app, ctx) => {
  if (app.format !== 'botstack' && app.format !== 'pm2') return [];
  if (app.origin === 'pm2-cli') return []; // the shell expands `pm2 start` arguments itself
  return fields(app).map(({ field, value }) => {
    const message = `${app.name}.${field} is ${JSON.stringify(value)}: shell syntax nobody expands (pm2 and botstack take paths literally), so ${app.name} would not start where it should`;
    const fix = `write the folder itself in ${app.name}.${field} (an absolute path, or one relative to the root), e.g. what \`echo ${value.replace(/\/(venv|\.venv)\/bin\/python[\d.]*$/, '/$1')}\` prints in the script's shell`;
    return finding(ctx, app, { rule: 'unresolved-path', severity: 'error', message, fix, field });
  });
};

/** The app a line belongs to: the last one whose object starts above it. */
function owner(apps: readonly App[], line: number): App | null {
  const above = apps.filter((a) => a.line !== null && a.line <= line);
  return above[above.length - 1] ?? null;
}

/** `// FILL IN cwd: …` comments init left in a stack: the path is not written yet. */
export function fillIns(text: string, ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const m = FILL_IN.exec(line);
    if (!m) continue;
    const field = m[1] ?? '';
    const app = field.startsWith('services.') || field === 'root' || field === 'venv' ? null : owner(ctx.apps, i + 1);
    const name = app ? `${app.name}.${field}` : field;
    out.push({
      rule: 'unresolved-path',
      severity: 'error',
      file: ctx.file,
      line: i + 1,
      service: app?.name ?? null,
      message: `${name} is not filled in: init could not resolve it (${m[2]?.trim() ?? ''})`,
      fix: `write ${name} as the comment says, then delete the FILL IN comment`,
      field,
    });
  }
  return out;
}
