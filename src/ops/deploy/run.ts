import { CliError, EXIT, line, type CliIO } from '../../util/io.js';
import type { Pm2Client } from '../../pm2/client.js';
import type { Service, Stack } from '../../stack/types.js';
import { pidAlive } from '../../util/proctree.js';
import { connectPm2, loadConfig } from '../shared/context.js';
import { fmtSeconds } from '../../util/format.js';
import { graceOf } from '../shared/readiness.js';
import { execute, type ExecuteResult } from './execute.js';
import { git, head, topLevel } from './git.js';
import { readJournal } from './journal.js';
import { acquireLock } from './lock.js';
import { prepare, type Prepared } from './prepare.js';
import { appendRecord, deployFiles, type DeployRecord, type DeployResult } from './record.js';
import { renderInterrupted, renderPlan } from './render.js';
import { Steps } from './steps.js';
import { unhealthyNow } from './preconditions.js';

// `botstack deploy`: lock, recover from an interrupted deploy, decide
// (prepare.ts), then change things (execute.ts), and record one line.

export interface DeployOptions {
  readonly config: string;
  readonly ref?: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly rollback: boolean;
  readonly json: boolean;
  readonly scheduled: boolean;
  readonly healthTimeoutMs?: number;
}

export async function deployFlow(io: CliIO, o: DeployOptions): Promise<number> {
  const stack = await loadConfig(io, o.config);
  // With --json, progress goes to stderr and stdout holds one JSON document.
  const say = (text: string) => line(o.json ? io.stderr : io.stdout, text);
  let top: string;
  try {
    top = await topLevel(stack.root, io.env);
  } catch {
    throw new CliError(`${stack.root} (the stack's root) is not a git checkout; clone the project there, or set BOTSTACK_ROOT to the checkout`, EXIT.USAGE);
  }
  const g = git(top, io.env);
  const files = deployFiles(stack.logDir);
  if (o.dryRun) return dryRun(io, o, stack, g, say, files.journal);
  const lock = acquireLock(files.lock);
  if (!lock.ok) {
    line(io.stderr, `botstack: another deploy is running (pid ${lock.holder}, lock ${lock.file}); nothing was changed`);
    line(io.stderr, `wait for it (botstack status shows it), or if pid ${lock.holder} is not a deploy, remove ${lock.file}`);
    return EXIT.FAIL;
  }
  const steps = new Steps();
  let client: Pm2Client | undefined;
  try {
    if (lock.tookOverFrom !== null) say(`took over the deploy lock from pid ${lock.tookOverFrom}, which is no longer running`);
    const interrupted = readJournal(files.journal);
    if (interrupted) for (const l of renderInterrupted(interrupted, await head(g), pidAlive(interrupted.pid))) say(l);
    client = await connectPm2(io, false);
    const p = await prepare(g, stack, steps, { ...(o.ref !== undefined ? { ref: o.ref } : {}), force: o.force, env: io.env, interrupted });
    if (p.kind !== 'ready') return finishEarly(io, o, p, steps, files.records, say);
    for (const l of renderPlan(stack.name, p.ref, p.from, p.to, p.toSubject, p.plan)) say(l);
    const sick = o.scheduled ? await unhealthyNow(client, stack, p.plan.services) : [];
    if (sick.length > 0) {
      // Unattended, onto a stack that is not well (booting, or broken already): a
      // rollback could not tell the new code's failure from the old one's. Next tick.
      return finishEarly(io, o, { kind: 'refused', code: 1, lines: [`not deploying onto an unhealthy stack: ${sick.join('; ')}`, 'the next scheduled run tries again; botstack status shows why'], ref: p.ref, from: p.from, to: p.to }, steps, files.records);
    }
    const deadlineMs = (s: Service) => o.healthTimeoutMs ?? graceOf(s);
    const r = await execute({ io, stack, g, client, steps, say, prepared: p, journalFile: files.journal, rollback: o.rollback, deadlineMs });
    const rec = record(o, steps, r.result, p.ref, p.from, p.to, r.restarted, r.error, r.failedService);
    appendRecord(files.records, rec);
    if (o.json) line(io.stdout, JSON.stringify(rec, null, 2));
    for (const l of r.errorLines) line(io.stderr, l);
    if (r.result === 'deployed') say(`deployed ${p.to.slice(0, 7)} in ${fmtSeconds(rec.totalMs)}: ${r.restarted.length > 0 ? `restarted ${r.restarted.join(', ')}` : 'nothing to restart'}`);
    return r.result === 'deployed' ? EXIT.OK : EXIT.FAIL;
  } finally {
    await client?.disconnect();
    lock.release();
  }
}

function record(o: DeployOptions, steps: Steps, result: DeployResult, ref: string | null, from: string | null, to: string | null, services: readonly string[], error?: string, failedService?: string): DeployRecord {
  return {
    at: new Date().toISOString(),
    pid: process.pid,
    ref,
    from,
    to,
    result,
    services,
    steps: steps.all,
    totalMs: steps.elapsedMs(),
    scheduled: o.scheduled,
    ...(error !== undefined ? { error } : {}),
    ...(failedService !== undefined ? { failedService } : {}),
  };
}

function finishEarly(io: CliIO, o: DeployOptions, p: Exclude<Prepared, { kind: 'ready' }>, steps: Steps, records: string, say: (t: string) => void = () => undefined): number {
  if (p.kind === 'up-to-date') {
    const rec = record(o, steps, 'up-to-date', p.ref, p.at, p.at, []);
    appendRecord(records, rec);
    if (o.json) line(io.stdout, JSON.stringify(rec, null, 2));
    say(`up to date: ${p.ref} is ${p.at.slice(0, 7)}, which is deployed; nothing restarted`);
    return EXIT.OK;
  }
  const rec = record(o, steps, 'refused', p.ref, p.from, p.to, [], p.lines[0]);
  appendRecord(records, rec);
  if (o.json) line(io.stdout, JSON.stringify(rec, null, 2));
  line(io.stderr, `botstack: deploy refused: ${p.lines[0] ?? ''}`);
  for (const l of p.lines.slice(1)) line(io.stderr, l);
  return p.code;
}

async function dryRun(io: CliIO, o: DeployOptions, stack: Stack, g: ReturnType<typeof git>, say: (t: string) => void, journalFile: string): Promise<number> {
  const interrupted = readJournal(journalFile);
  if (interrupted) for (const l of renderInterrupted(interrupted, await head(g), pidAlive(interrupted.pid))) say(l);
  const p = await prepare(g, stack, new Steps(), { ...(o.ref !== undefined ? { ref: o.ref } : {}), force: o.force, env: io.env, interrupted });
  if (o.json) line(io.stdout, JSON.stringify(p.kind === 'ready' ? { ...p, dryRun: true } : p, null, 2));
  if (p.kind === 'up-to-date') {
    say(`up to date: ${p.ref} is ${p.at.slice(0, 7)}; a deploy would restart nothing`);
    return EXIT.OK;
  }
  if (p.kind === 'refused') {
    line(io.stderr, `botstack: deploy would be refused: ${p.lines[0] ?? ''}`);
    for (const l of p.lines.slice(1)) line(io.stderr, l);
    return p.code;
  }
  for (const l of renderPlan(stack.name, p.ref, p.from, p.to, p.toSubject, p.plan)) say(l);
  say('dry run: nothing was changed');
  return EXIT.OK;
}

export type { ExecuteResult };
