import { HEALTH_PATHS } from './health-route.js';
import type { InitPlan, PlannedService } from './types.js';

// The plan as a typed stack file, written the way a person would write ours:
// `import { defineStack } from 'botstack'` (the package's main export, so the
// file works in any project that installed botstack), one object per service,
// and a comment wherever init guessed or dropped something.

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
const list = (xs: readonly string[]): string => `[${xs.map(q).join(', ')}]`;
const obj = (r: Readonly<Record<string, string>>): string => `{ ${Object.entries(r).map(([k, v]) => `${k}: ${q(v)}`).join(', ')} }`;

const TCP_BLIND = 'TCP cannot see a hang: a stopped or deadlocked process still completes the handshake';

function health(s: PlannedService): string[] {
  if (s.kind === 'mongod') return [];
  if (s.healthPath !== null) return [`health: { type: 'http', path: ${q(s.healthPath)} }, // ${s.healthFrom ?? 'the start script polls it'}`];
  if (s.kind === 'uvicorn' || s.port !== null) {
    const where = s.healthLooked !== undefined ? `no health route in ${s.healthLooked} (looked for ${HEALTH_PATHS.join(', ')})` : 'the source shows no health route';
    return [`health: { type: 'tcp' }, // ${where}. ${TCP_BLIND}; give the app a route and:`, "// health: { type: 'http', path: '/health' },"];
  }
  if (s.kind !== 'python' && s.kind !== 'node') return [];
  return ["// health: { type: 'heartbeat', file: 'run/" + s.name + ".heartbeat', maxAge: '60s' }, // see docs/heartbeat.md"];
}

function body(s: PlannedService): string[] {
  const out = [`name: ${q(s.name)},`, ...(s.unresolved ?? []).map((u) => `// FILL IN ${u.field}: ${u.what}`), `kind: ${q(s.kind)},`];
  if (s.kind === 'uvicorn') out.push(`app: ${q(s.target)},`);
  if (s.kind === 'python' || s.kind === 'node') out.push(`script: ${q(s.target)},`);
  if (s.kind === 'command') out.push(`command: ${q(s.target)},`);
  if (s.args.length > 0) out.push(`args: ${list(s.args)},`);
  if (s.cwd !== null) out.push(`cwd: ${q(s.cwd)},`);
  if (s.publicHost !== null && s.kind !== 'command') out.push(`// the source bound ${s.publicHost}; botstack binds 127.0.0.1. Set host only if another machine must reach it.`);
  if (s.publicHost !== null && s.kind === 'command') out.push(`// this command binds ${s.publicHost} (every interface); use 127.0.0.1 unless another machine must reach it.`);
  if (s.port !== null && s.kind !== 'command') out.push(`port: ${s.port},`);
  if (s.port !== null && s.kind === 'command') out.push(`port: ${s.port}, // the port in the command line; botstack checks it is free before start`);
  if (s.dbpath !== null) out.push(`dbpath: ${q(s.dbpath)},`);
  if (s.workers !== null) out.push(`workers: ${s.workers},`);
  if (s.reloadInDevelopment) out.push('reloadInDevelopment: true,');
  if (Object.keys(s.env).length > 0) out.push(`env: ${obj(s.env)},`);
  if (s.secrets.length > 0) out.push(`secrets: ${list(s.secrets)}, // values go in <root>/.env, never here`);
  out.push(...health(s));
  if (s.dependsOn.length > 0) {
    const guessed = s.dependsOn.filter((d) => d.guess).map((d) => d.name);
    out.push(`dependsOn: ${list(s.dependsOn.map((d) => d.name))},${guessed.length > 0 ? ` // a guess from the start order (${guessed.join(', ')} started first); remove what ${s.name} does not call` : ''}`);
  }
  return out;
}

// Written out, though the schema would add it anyway: the file shows what runs.
const MONITOR = [
  '    // The health monitor: probes every service above and restarts, through pm2, one that is alive',
  '    // but not answering (pm2 itself only restarts a process that exits). Without it nothing heals;',
  '    // remove it only with `monitor: false` on the stack, and `botstack check` will warn.',
  '    {',
  "      name: 'monitor',",
  "      kind: 'monitor',",
  '    },',
];

export function renderStack(plan: InitPlan, sources: readonly string[]): string {
  const head = [
    "import { defineStack } from 'botstack';",
    '',
    `// Written by \`botstack init --from ${sources.join(' ')}\`. Read it, then: botstack check && botstack start`,
    '// Nothing here watches files or reloads: production never does (BOTSTACK_ENV=development turns',
    "// --reload on for uvicorn services with reloadInDevelopment: true). Each service gets botstack's",
    '// memory and restart limits, a stop timeout for its kind and a log file of its own.',
    ...(plan.secrets.length > 0 ? [`// Secrets (${plan.secrets.join(', ')}) are read from <root>/.env at start; init copied no value.`] : []),
    ...(plan.localKeys && plan.localKeys.length > 0 ? [`// ${plan.localKeys.join(', ')}: set in the script but given to no service and read by none; not a secret of this stack.`] : []),
    '',
    'export default defineStack({',
    `  name: ${q(plan.name)},`,
  ];
  // A root in the file is relative to the file: '.' is the folder init wrote it in.
  head.push(`  root: process.env.BOTSTACK_ROOT ?? ${q(plan.root ?? '.')},${plan.root === null ? " // this file's folder" : ''}`);
  if (plan.venv !== null && plan.venv !== 'venv') head.push(`  venv: ${q(plan.venv)},`);
  if (plan.venvUnresolved !== undefined) head.push(`  // FILL IN venv: the script's venv is "${plan.venvUnresolved}", which init cannot resolve; write the venv folder (relative to the root) as venv: '…'`);
  head.push('  services: [');
  const services = plan.services.flatMap((s) => [
    `    // ${s.origin}`,
    ...s.notes.map((n) => `    // ${n}`),
    '    {',
    ...body(s).map((l) => `      ${l}`),
    '    },',
  ]);
  return [...head, ...services, ...MONITOR, '  ],', '});', ''].join('\n');
}
