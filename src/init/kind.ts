import { basename } from 'node:path';
import { findDevFlag } from '../rules/dev-flags.js';
import { describeCommand, isVenvPath } from '../rules/model/command.js';
import type { App } from '../rules/types.js';
import type { PlannedKind } from './types.js';

// Which botstack kind an app becomes, from its command line: the one decision
// init makes per service that needs the command's words.

/** argv without the reload/watch flags (and their values), for the command kind. */
export function withoutDevFlags(argv: readonly string[]): { argv: string[]; dropped: string[] } {
  const out = [...argv];
  const dropped: string[] = [];
  for (let f = findDevFlag(out); f !== null; f = findDevFlag(out)) {
    const takesValue = /^--(reload-dir|watch)$/.test(out[f.index] ?? '') && !(out[f.index + 1] ?? '-').startsWith('-');
    dropped.push(...out.splice(f.index, takesValue ? 2 : 1));
  }
  return { argv: out, dropped };
}

/** The words after the program: `python -u x.py a` -> [x.py, a]; `poetry run python x.py` -> [x.py]. */
function programArgs(argv: readonly string[]): string[] {
  let a = [...argv];
  if (/^(poetry|uv|pipenv)$/.test(basename(a[0] ?? '')) && a[1] === 'run') a = a.slice(2);
  if (/^python[\d.]*$/.test(basename(a[0] ?? '')) || /^(node|nodejs)$/.test(basename(a[0] ?? ''))) {
    a = a.slice(1);
    while ((a[0] ?? '').startsWith('-') && a[0] !== '-m') a = a.slice(1);
  }
  return a;
}

export function kindOf(app: App): { kind: PlannedKind; target: string; args: string[]; notes: string[] } {
  const f = describeCommand(app.argv);
  const rest = programArgs(app.argv);
  if (f.database === 'mongod') return { kind: 'mongod', target: 'mongod', args: [], notes: [] };
  if (f.program === 'uvicorn') {
    const spec = app.argv.find((w) => /^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/.test(w));
    if (spec) return { kind: 'uvicorn', target: spec, args: [], notes: [] };
  }
  if (f.program === 'gunicorn') {
    const { argv, dropped } = withoutDevFlags(app.argv.map((w) => (isVenvPath(w) ? basename(w) : w)));
    return {
      kind: 'command',
      target: argv.join(' '),
      args: [],
      notes: [
        'gunicorn stays a command: botstack has no gunicorn kind, and its own master process already supervises the workers.',
        'If it runs uvicorn workers (-k uvicorn.workers.UvicornWorker) of a module:app, kind: \'uvicorn\' with workers: N is the botstack way.',
        ...(dropped.length > 0 ? [`dropped ${dropped.join(' ')}: production never reloads`] : []),
      ],
    };
  }
  const script = rest[0] ?? '';
  if (app.isPython && /\.py$/.test(script)) return { kind: 'python', target: script, args: rest.slice(1), notes: [] };
  // pm2 runs a script with no interpreter under node, whatever its name (`./src/bin`), unless it is a binary on PATH (`npm`).
  const pm2Node = app.format === 'pm2' && app.interpreter === null && app.argv[0] === script && script.includes('/') && !/\.(sh|bash|py|rb|php|pl)$/.test(script);
  if (!app.isPython && (pm2Node || (/\.(js|mjs|cjs)$/.test(script) && (/^(node|nodejs)$/.test(basename(app.argv[0] ?? '')) || app.argv[0] === script)))) {
    return { kind: 'node', target: script, args: rest.slice(1), notes: [] };
  }
  const { argv, dropped } = withoutDevFlags(app.argv);
  return { kind: 'command', target: argv.join(' '), args: [], notes: dropped.length > 0 ? [`dropped ${dropped.join(' ')}: production never reloads`] : [] };
}

