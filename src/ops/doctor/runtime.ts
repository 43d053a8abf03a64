import { pm2Install } from '../startup/unit.js';
import { fail, ok, type SyncCheck } from './types.js';

// node and pm2 versions, and whether the daemon PM2_HOME names answers.

const parse = (v: string): number[] => v.replace(/^v/, '').split(/[.-]/).slice(0, 3).map((x) => Number(x) || 0);
const atLeast = (v: string, min: string): boolean => {
  const a = parse(v);
  const b = parse(min);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

export const nodeVersion: SyncCheck = (ctx) => [
  atLeast(ctx.nodeVersion, '20.19.0') ? ok('node', `node ${ctx.nodeVersion}`) : fail('node', `node ${ctx.nodeVersion} is older than 20.19`, 'install node 20.19 or newer (22 or 24 LTS), then reinstall botstack'),
];

function pm2Range(check: string, what: string, v: string) {
  if (atLeast(v, '7.0.1') && parse(v)[0] === 7) return ok(check, `${what} ${v}`);
  const why = v.startsWith('7.0.0') ? ' (7.0.0 runs Python apps under paths containing "bun" through node)' : '';
  return fail(check, `${what} ${v} is outside >=7.0.1 <8${why}`, 'npm install pm2@7 (botstack pins 7.0.4)');
}

export const pm2Version: SyncCheck = () => [pm2Range('pm2', 'pm2', pm2Install().version)];

export const daemon: SyncCheck = (ctx) => [
  ctx.live === null
    ? fail('daemon', `no pm2 daemon answers at ${ctx.pm2Home}/rpc.sock`, 'start the stack: botstack start (or check PM2_HOME)')
    : ok('daemon', `pm2 daemon answers at ${ctx.pm2Home} (${ctx.live.length} app${ctx.live.length === 1 ? '' : 's'})`),
];
