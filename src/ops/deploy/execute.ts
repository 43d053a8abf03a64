import type { CliIO } from '../../util/io.js';
import type { Pm2Client } from '../../pm2/client.js';
import type { Service, Stack } from '../../stack/types.js';
import { GitError, moveTo, type Git } from './git.js';
import { holdServices } from './hold.js';
import { clearJournal, writeJournal, type Phase } from './journal.js';
import { pausePoint } from './pause.js';
import { pipArgs, runPip, venvsOf } from './pip.js';
import type { Prepared } from './prepare.js';
import type { DeployResult } from './record.js';
import { restartInOrder } from './restarts.js';
import type { Steps } from './steps.js';

// The part of a deploy that changes things: journal, checkout, pip, restarts
// under the monitor's hold, and on the first failure the way back. The journal
// is cleared only when the tree and the running services agree again.

export interface ExecuteInput {
  readonly io: CliIO;
  readonly stack: Stack;
  readonly g: Git;
  readonly client: Pm2Client;
  readonly steps: Steps;
  readonly say: (text: string) => void;
  readonly prepared: Extract<Prepared, { kind: 'ready' }>;
  readonly journalFile: string;
  readonly rollback: boolean;
  readonly deadlineMs: (s: Service) => number;
}

export interface ExecuteResult {
  readonly result: DeployResult;
  readonly restarted: readonly string[];
  readonly errorLines: readonly string[];
  readonly error?: string;
  readonly failedService?: string;
}

const short = (sha: string) => sha.slice(0, 7);
const ROLLBACK_DEADLINE_MS = 60_000;

export async function execute(x: ExecuteInput): Promise<ExecuteResult> {
  const { prepared: p, steps, say, g } = x;
  const journal = (phase: Phase) => writeJournal(x.journalFile, { pid: process.pid, from: p.from, to: p.to, ref: p.ref, phase, services: p.plan.services, startedAt: new Date().toISOString() });
  const back = async (): Promise<void> => {
    say(`rolling back the checkout to ${short(p.from)}`);
    await steps.time('rollback-checkout', undefined, () => moveTo(g, p.from));
  };
  journal('checkout');
  if (p.head !== p.to) {
    try {
      await steps.time('checkout', undefined, () => moveTo(g, p.to));
    } catch (err) {
      // reset --keep changes nothing when it refuses; the tree is still at HEAD.
      clearJournal(x.journalFile);
      const msg = err instanceof GitError ? err.message : String(err);
      return { result: 'failed', restarted: [], error: msg, errorLines: [`botstack: deploy failed: the checkout of ${short(p.to)} did not happen: ${msg}`, 'nothing was restarted; an untracked file in the way? (git status)'] };
    }
  }
  say(`${p.head === p.to ? 'already checked out' : 'checked out'} ${short(p.to)}`);
  await pausePoint('checkout', x.io.env, say);

  if (p.plan.requirements.length > 0) {
    journal('install');
    for (const venv of venvsOf(x.stack)) {
      for (const req of p.plan.requirements) {
        const args = pipArgs(req);
        say(`pip ${args.join(' ')} (venv ${venv})...`);
        const r = await steps.time('pip', undefined, () => runPip(venv, args, g.dir, x.io.env), (v) => v.ok);
        if (r.ok) continue;
        if (x.rollback) await back();
        clearJournal(x.journalFile);
        const where = x.rollback ? `the checkout is back at ${short(p.from)}` : `the checkout stays at ${short(p.to)} (--no-rollback)`;
        return { result: x.rollback ? 'rolled-back' : 'failed', restarted: [], error: `pip install failed for ${req}`, errorLines: [`botstack: deploy failed: pip ${args.join(' ')} failed in ${venv}; nothing was restarted and ${where}`, ...r.tail.map((l) => `  pip | ${l}`)] };
      }
    }
  }
  const services = p.plan.services.map((n) => x.stack.services.find((s) => s.name === n)).filter((s): s is Service => s !== undefined);
  if (services.length === 0) {
    clearJournal(x.journalFile);
    return { result: 'deployed', restarted: [], errorLines: [] };
  }
  const hold = await holdServices(x.client, x.stack, services, x.deadlineMs);
  say(hold.note);
  try {
    journal('restart');
    const opts = { steps, deadlineMs: x.deadlineMs, say, ...(x.io.signal ? { signal: x.io.signal } : {}) };
    const out = await restartInOrder(x.client, x.stack, p.plan.services, { ...opts, step: 'restart' });
    if (!out.failed) {
      clearJournal(x.journalFile);
      return { result: 'deployed', restarted: out.restarted, errorLines: [] };
    }
    const f = out.failed;
    const failLines = [`  last log lines of ${f.name}:`, ...f.logs, `next: botstack logs ${f.name} --errors`];
    if (!x.rollback) {
      clearJournal(x.journalFile);
      return { result: 'failed', restarted: out.restarted, error: `${f.name}: ${f.reason}`, failedService: f.name, errorLines: [`botstack: deploy of ${short(p.to)} failed at ${f.name}: ${f.reason}; left as it is (--no-rollback)`, ...failLines] };
    }
    journal('rollback');
    await back();
    // A service whose new process never served (held, failed its gate) is still on the old code: it is not restarted again.
    const again = p.plan.services.filter((n) => out.restarted.includes(n) || (n === f.name && !f.oldServing));
    // The old code ran minutes ago: a slow start now is load, not breakage, so the way back waits longer.
    const undo = await restartInOrder(x.client, x.stack, again, { ...opts, step: 'rollback-restart', deadlineMs: (s) => Math.max(x.deadlineMs(s), ROLLBACK_DEADLINE_MS) });
    clearJournal(x.journalFile);
    if (undo.failed) {
      return { result: 'failed', restarted: out.restarted, error: `${f.name}: ${f.reason}; rollback failed at ${undo.failed.name}: ${undo.failed.reason}`, failedService: f.name, errorLines: [`botstack: deploy of ${short(p.to)} failed at ${f.name}: ${f.reason}`, ...failLines, `botstack: the rollback to ${short(p.from)} failed too: ${undo.failed.name} is not healthy (${undo.failed.reason}); look now: botstack status`] };
    }
    return { result: 'rolled-back', restarted: out.restarted, error: `${f.name}: ${f.reason}`, failedService: f.name, errorLines: [`botstack: deploy of ${short(p.to)} failed at ${f.name}: ${f.reason}; rolled back to ${short(p.from)}, ${[...again.map((n) => `${n} healthy on it`), ...(f.oldServing ? [`${f.name} never stopped serving it`] : [])].join(', ')}`, ...failLines] };
  } finally {
    await hold.release();
  }
}
