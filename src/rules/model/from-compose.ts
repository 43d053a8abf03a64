import { createRequire } from 'node:module';
import { UnreadableError } from '../source/pm2-file.js';
import type { App, DatabaseKind } from '../types.js';
import { describeCommand } from './command.js';
import { appFromLaunch, VENV_MENTIONED } from './from-shell.js';
import { pm2Memory } from './from-pm2.js';
import { lineOfKey } from './lines.js';
import { shellLine } from './shell/line.js';
import { freshState } from './shell/run.js';
import { splitWords } from './words.js';

// docker-compose.yml -> one app per service that says what it runs: its
// `command` (with `entrypoint`), or a database image (mongo, postgres, redis,
// mysql, mariadb) whose program is known. Where it listens is what `ports:`
// publishes on the host ("27017:27017" is every interface; "127.0.0.1:..." is
// loopback). restart:, mem_limit / deploy.resources.limits.memory and
// stop_grace_period (default 10 s) are its policy; docker keeps the logs.

type Raw = Record<string, unknown>;
const require = createRequire(import.meta.url);

const IMAGES: readonly [RegExp, DatabaseKind, string][] = [
  [/^(library\/)?mongo(:|$)|\/mongo(db)?(:|$)|^mongodb\//, 'mongod', 'mongod'],
  [/^(library\/)?postgres(:|$)|postgis|timescale/, 'postgres', 'postgres'],
  [/^(library\/)?redis(:|$)|redis-stack/, 'redis', 'redis-server'],
  [/^(library\/)?(mysql|mariadb)(:|$)/, 'mysql', 'mysqld'],
];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function environment(v: unknown): Record<string, string> {
  if (Array.isArray(v)) return Object.fromEntries(v.map(String).filter((x) => x.includes('=')).map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v as Raw).map(([k, x]) => [k, x === null || x === undefined ? '' : String(x)]));
  return {};
}

/** The first published port: host address (null = every interface) and host port. */
function published(ports: unknown): { host: string; port: number | null } | null {
  if (!Array.isArray(ports) || ports.length === 0) return null;
  const p = ports[0] as unknown;
  if (p !== null && typeof p === 'object') {
    const o = p as Raw;
    return { host: str(o.host_ip) ?? '0.0.0.0', port: Number(o.published) || null };
  }
  // "127.0.0.1:${PORT:-8000}:8000": a variable's default stands for it; an unknown one is a port we cannot read.
  const text = String(p).replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_m, dflt?: string) => dflt ?? '0');
  const parts = text.replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length === 1) return { host: '0.0.0.0', port: null }; // a random host port
  const hostPort = Number(parts[parts.length - 2]) || null;
  return { host: parts.length >= 3 ? parts.slice(0, -2).join(':').replace(/^\[|\]$/g, '') : '0.0.0.0', port: hostPort };
}

function words(v: unknown): string[] | null {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return null;
  return [];
}

/** Bind volumes with a host path (`/tmp/mongo:/data/db`, or the long form's source/target). */
function volumes(v: unknown): { source: string; target: string }[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => {
    if (typeof x === 'string') {
      const [source, target] = x.split(':');
      return source !== undefined && target !== undefined && /^[/.~]/.test(source) ? [{ source, target }] : [];
    }
    const o = x as Raw | null;
    return o !== null && typeof o === 'object' && str(o.type) === 'bind' && str(o.source) && str(o.target) ? [{ source: str(o.source) ?? '', target: str(o.target) ?? '' }] : [];
  });
}

function serviceApp(name: string, s: Raw, text: string, line: number | null): App | null {
  const image = str(s.image) ?? '';
  const db = IMAGES.find(([re]) => re.test(image));
  const env = environment(s.environment);
  const cmdList = words(s.command);
  const entryList = words(s.entrypoint);
  let script: string;
  if (cmdList === null) script = String(s.command);
  else if (cmdList.length > 0) script = [...(entryList ?? []), ...cmdList].map((w) => (/[\s'"]/.test(w) ? `'${w.replace(/'/g, `'\\''`)}'` : w)).join(' ');
  else if (entryList && entryList.length > 0) script = entryList.join(' ');
  else if (typeof s.entrypoint === 'string') script = s.entrypoint;
  else if (db) script = db[2];
  else return null;
  // `command: --bind_ip_all` on a database image: arguments to the image's own program.
  if (db && (script.startsWith('-') || script === '')) script = `${db[2]} ${script}`;
  const vars = new Map(Object.entries(env).map(([k, v]) => [k, [v]] as const));
  const sl = shellLine(script, { line: line ?? 1, state: { ...freshState(), vars, exported: { ...env }, cwd: str(s.working_dir) ?? null } });
  if (!sl) return null;
  const app = appFromLaunch(sl.launch, VENV_MENTIONED.test(text), 'compose');
  const pub = published(s.ports);
  const deploy = ((s.deploy as Raw | undefined)?.resources as Raw | undefined)?.limits as Raw | undefined;
  const memory = str(s.mem_limit) ?? str(deploy?.memory);
  const restart = str(s.restart) ?? str((s.deploy as Raw | undefined)?.restart_policy && ((s.deploy as Raw).restart_policy as Raw).condition);
  const grace = str(s.stop_grace_period);
  const logging = (s.logging as Raw | undefined)?.driver;
  const logs = logging === 'none' ? '/dev/null' : `docker:${name}`;
  const facts = describeCommand(app.argv);
  return {
    ...app,
    name,
    ref: `services.${name}`,
    line,
    env: { ...env, ...app.env },
    database: db ? db[1] : facts.database,
    host: pub ? pub.host : null,
    port: pub ? pub.port : null,
    memoryBytes: memory !== undefined ? pm2Memory(memory) : null,
    // Docker restarts with a doubling delay (100 ms up to a minute): bounded.
    restart: restart !== undefined && restart !== 'no' && restart !== 'none' ? { autorestart: true, maxRestarts: Number.POSITIVE_INFINITY, minUptimeMs: 10_000, backoffMs: 100, delayMs: null } : null,
    killTimeoutMs: grace !== undefined ? (parseGrace(grace) ?? 10_000) : 10_000,
    logs: { out: logs, err: logs },
    ...(volumes(s.volumes).length > 0 ? { volumes: volumes(s.volumes) } : {}),
  };
}

function parseGrace(v: string): number | null {
  const parts = [...v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0) return /^\d+$/.test(v) ? Number(v) * 1000 : null;
  return parts.reduce((ms, m) => ms + Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms'] ?? 1000), 0);
}

export function readCompose(text: string): App[] {
  const yaml = require('js-yaml') as { load: (s: string) => unknown };
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    const e = err as { reason?: string; mark?: { line?: number } };
    throw new UnreadableError(`invalid YAML${e.mark?.line !== undefined ? ` at line ${e.mark.line + 1}` : ''}: ${e.reason ?? String(err)}`);
  }
  const services = (doc as Raw | null)?.services;
  if (services === null || typeof services !== 'object') return [];
  const apps: App[] = [];
  let from = 1;
  for (const [name, s] of Object.entries(services as Raw)) {
    const line = lineOfService(text, name, from);
    if (line !== null) from = line + 1;
    const app = s !== null && typeof s === 'object' ? serviceApp(name, s as Raw, text, line) : null;
    if (app) apps.push(app);
  }
  return apps;
}

function lineOfService(text: string, name: string, from: number): number | null {
  const lines = text.split('\n');
  const re = new RegExp(`^\\s+['"]?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*:\\s*(#.*)?$`);
  for (let i = from - 1; i < lines.length; i++) if (re.test(lines[i] ?? '')) return i + 1;
  return lineOfKey(text, name, '', from);
}
