import { describeCommand } from '../command.js';
import { exclusive } from '../../types.js';
import type { Launch } from './run.js';

// Which launches are services. A server program (uvicorn, gunicorn, mongod, ...)
// is one wherever it runs: in the foreground it blocks the script for good. A
// script runner (python bot.py, node server.js, npm start) is one when it
// outlives its line (`&`, nohup, setsid, screen, tmux, exec, a daemon flag),
// runs in a restart loop, or is the last thing the script does (a container
// entrypoint). One-off steps (pip, migrations, --version) never are.

const base = (p: string): string => p.split('/').pop() ?? p;
const SERVERS = /^(uvicorn|gunicorn|hypercorn|daphne|granian|celery|flask|fastapi|streamlit|mongod|redis-server|postgres|postmaster|pg_ctl|pg_ctlcluster|mysqld|mysqld_safe|mariadbd|waitress-serve)$/;
const RUNNERS = /^(python[\d.]*|node|nodejs|npm|yarn|pnpm|bun|deno|nodemon|ts-node|tsx|php|ruby|java)$/;
const TRIVIAL = /^(echo|printf|sleep|wait|exit|return|true|false|:|tail|logger|date|disown|read|clear|trap|set|shopt|shift|cat|notify-send|kill|pkill|chmod|chown|mkdir|touch|rm|ls|cd)$/;
const ONE_OFF_MODULES = /^(pip|pip3|venv|virtualenv|ensurepip|alembic|pytest|unittest|compileall|build|twine|black|flake8|mypy|isort|ruff|playwright|spacy|nltk|django|aerich|prisma)$/;
const NPM_STARTS = /^(start|serve|prod|production|start:prod|dev|server)$/;

/** Commands that only do something and return: installs, migrations, version checks. */
export function isOneOff(argv: readonly string[]): boolean {
  const args = argv.slice(1);
  const prog = base(argv[0] ?? '');
  if (args.some((a) => ['--version', '-V', '--help', '-h', '-v'].includes(a)) && !SERVERS.test(prog)) return true;
  if (args.some((a) => ['--version', '--help'].includes(a))) return true;
  if (/^python/.test(prog)) {
    const m = args.indexOf('-m');
    if (args.includes('-c')) return true;
    if (m >= 0 && ONE_OFF_MODULES.test(args[m + 1] ?? '')) return true;
    const script = args.find((a) => !a.startsWith('-'));
    if (script !== undefined && /(^|\/)setup\.py$/.test(script)) return true;
    if (script !== undefined && /(^|\/)manage\.py$/.test(script)) return !/^(runserver|run_?bot|runbot|start|celery|qcluster|rqworker|run_huey|process_tasks)/.test(args[args.indexOf(script) + 1] ?? '');
  }
  if (prog === 'node' || prog === 'nodejs') return args.some((a) => ['-e', '-p', '--eval', '--print', '-c', '--check'].includes(a));
  if (prog === 'npm' || prog === 'yarn' || prog === 'pnpm' || prog === 'bun') {
    const sub = args[0] === 'run' || args[0] === 'run-script' ? args[1] : args[0];
    return !NPM_STARTS.test(sub ?? '') && !(prog === 'bun' && /\.(ts|js)$/.test(args[0] ?? ''));
  }
  if (prog === 'mongod') return args.some((a) => ['--repair', '--shutdown', '--upgrade'].includes(a));
  if (prog === 'celery') return !args.some((a) => ['worker', 'beat', 'flower', 'multi', '-B'].includes(a));
  if (prog === 'flask') return !args.includes('run');
  // The FastAPI CLI serves with `fastapi run` (production) or `fastapi dev`; anything else returns.
  if (prog === 'fastapi') return !args.includes('run') && !args.includes('dev');
  if (prog === 'pg_ctl' || prog === 'pg_ctlcluster') return !args.includes('start');
  return false;
}

const daemonises = (argv: readonly string[]): boolean =>
  argv.includes('--fork') || argv.includes('--daemon') || argv.includes('-D') || (argv.includes('--daemonize') && argv.includes('yes')) || (/^pg_ctl/.test(base(argv[0] ?? '')) && argv.includes('start'));

/** Nothing but trivia runs after it (in the branches that can follow it). */
function isLast(l: Launch, all: readonly Launch[]): boolean {
  return !all.some((m) => m.index > l.index && !TRIVIAL.test(base(m.argv[0] ?? '')) && m.argv.length > 0 && !exclusive(l, m));
}

/** `foreground: false` (a scheduled cron line): only what outlives the line is a service. */
export function isService(l: Launch, all: readonly Launch[], foreground = true): boolean {
  const argv = l.argv;
  if (argv.length === 0 || isOneOff(argv)) return false;
  const prog = base(argv[0] ?? '');
  const kind = describeCommand(argv).program;
  const server = SERVERS.test(prog) || SERVERS.test(kind);
  if (!server && !RUNNERS.test(prog)) return false;
  if (prog === 'java' && !argv.includes('-jar')) return false;
  if (l.background || l.nohup || l.detached || l.exec || l.loop !== null || daemonises(argv)) return true;
  return foreground && (server || isLast(l, all));
}
