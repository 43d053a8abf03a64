import type { DatabaseKind } from '../types.js';

// What a command line says about the process it starts: which program really
// runs (past `python -m`, past a venv's python running bin/uvicorn), whether it
// is a database, where it listens. Shared by the pm2, botstack and shell readers.

const base = (p: string): string => p.split('/').pop() ?? p;
const PYTHON = /^python(\d+(\.\d+)*)?$/;
const NODE = /^(node|nodejs)$/;
const PY_SERVERS = new Set(['uvicorn', 'gunicorn', 'hypercorn', 'daphne', 'celery', 'flask', 'fastapi']);

const DATABASES: Readonly<Record<string, DatabaseKind>> = {
  mongod: 'mongod',
  postgres: 'postgres',
  postmaster: 'postgres',
  pg_ctl: 'postgres',
  pg_ctlcluster: 'postgres',
  'redis-server': 'redis',
  mysqld: 'mysql',
  mysqld_safe: 'mysql',
  mariadbd: 'mysql',
};
const DEFAULT_PORTS: Readonly<Record<string, number>> = { mongod: 27017, postgres: 5432, redis: 6379, mysql: 3306, uvicorn: 8000, gunicorn: 8000, fastapi: 8000 };
/** mongod (since 3.6) and uvicorn/gunicorn bind loopback unless told otherwise. */
const LOOPBACK_BY_DEFAULT = new Set(['mongod', 'uvicorn', 'gunicorn']);

export interface CommandFacts {
  /** The program that does the work: "uvicorn", "main", "mongod", "server". */
  readonly program: string;
  readonly database: DatabaseKind | null;
  readonly isPython: boolean;
  /** `python -u` on the command line. */
  readonly pythonUnbuffered: boolean;
  /** Where it listens, as written on the command line. */
  readonly host: string | null;
  readonly port: number | null;
  /** Where it listens when the command line does not say. */
  readonly defaultHost: string | null;
  readonly defaultPort: number | null;
}

/** Index of the first token after an interpreter and its flags (`python -u -m x` -> index of x's module). */
function mainIndex(argv: readonly string[]): { index: number; module: boolean } {
  const first = base(argv[0] ?? '');
  if (!PYTHON.test(first) && !NODE.test(first)) return { index: 0, module: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-m') return { index: i + 1, module: true };
    if (!a.startsWith('-')) return { index: i, module: false };
  }
  return { index: 0, module: false };
}

export function describeCommand(argv: readonly string[]): CommandFacts {
  const { index, module } = mainIndex(argv);
  const raw = argv[index] ?? '';
  const program = module ? raw : base(raw).replace(/\.(py|js|cjs|mjs|ts)$/, '');
  const database = DATABASES[program] ?? null;
  const first = base(argv[0] ?? '');
  const isPython = PYTHON.test(first) || raw.endsWith('.py') || PY_SERVERS.has(program);
  const pythonUnbuffered = PYTHON.test(first) && argv.slice(1, index).some((a) => /^-[a-zA-Z]*u[a-zA-Z]*$/.test(a) && !a.startsWith('--'));
  const kind = database ?? program;
  const listen = listenAddress(argv.slice(index + 1), database);
  return {
    program,
    database,
    isPython,
    pythonUnbuffered,
    host: listen.host ?? null,
    port: listen.port ?? null,
    defaultHost: LOOPBACK_BY_DEFAULT.has(kind) ? '127.0.0.1' : null,
    defaultPort: DEFAULT_PORTS[kind] ?? null,
  };
}

/** The value of `--flag v` or `--flag=v`. */
export function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (const [i, a] of args.entries()) {
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

function listenAddress(args: readonly string[], db: DatabaseKind | null): { host?: string; port?: number } {
  const out: { host?: string; port?: number } = {};
  const portText = optionValue(args, db === 'postgres' ? ['--port', '-p'] : ['--port']);
  if (portText !== undefined && /^\d+$/.test(portText)) out.port = Number(portText);
  const bind = optionValue(args, ['--bind', '-b']);
  // gunicorn's --bind host:port; redis's --bind takes hosts only.
  const hp = bind !== undefined ? /^(.*):(\d+)$/.exec(bind) : null;
  if (hp && db === null) {
    out.host = hp[1] ?? '';
    out.port = Number(hp[2]);
  }
  if (args.includes('--bind_ip_all')) out.host = '0.0.0.0';
  const host = optionValue(args, hostFlags(db)) ?? (db === 'redis' ? bind : undefined);
  if (host !== undefined && !args.includes('--bind_ip_all')) out.host = host;
  const listen = optionValue(args, ['-c'])?.match(/^listen_addresses=['"]?([^'"]*)/);
  if (listen) out.host = listen[1] ?? '';
  return out;
}

function hostFlags(db: DatabaseKind | null): string[] {
  switch (db) {
    case 'mongod':
      return ['--bind_ip'];
    case 'postgres':
      return ['-h'];
    case 'mysql':
      return ['--bind-address'];
    case 'redis':
      return [];
    default:
      return ['--host'];
  }
}

/** Whether a host binds every interface: 0.0.0.0, ::, *, or a list containing one. */
export function isPublicHost(host: string | null): boolean {
  if (host === null) return false;
  return host.split(/[,\s]+/).some((h) => ['0.0.0.0', '::', '[::]', '*', '0:0:0:0:0:0:0:0'].includes(h.trim()));
}

/** A venv's (or virtualenv's, pyenv's, conda env's) interpreter or tool, not the system's. */
export function isVenvPath(p: string): boolean {
  return /(^|\/)\.?venv[^/]*\/bin\//.test(p) || /\/(virtualenvs|\.pyenv\/versions|conda\/envs|envs)\//.test(p) || /\$\{?VIRTUAL_ENV\b/.test(p);
}
