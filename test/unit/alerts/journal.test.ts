import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Delivery } from '../../../src/alerts/delivery.js';
import { fileJournal, memoryJournal, type JournalState } from '../../../src/alerts/journal.js';
import { REPEAT_NOTE } from '../../../src/alerts/sender.js';
import { realTimers } from '../../../src/alerts/timers.js';
import type { AlertEvent, Channel, OutMessage, SendOutcome } from '../../../src/alerts/types.js';
import { makeRedactor } from '../../../src/util/redact.js';
import { waitFor } from '../../../src/util/timeout.js';

// Undelivered alerts outlive the monitor: on disk before the first attempt,
// off it only after "sent"; a stop delivers what it can in a bounded time and
// the next start sends the rest, each once.

const config = { stack: 'bots', host: 'vps-1', telegram: null, webhook: null, disk: { minFreeRatio: null, minFreeBytes: null } };
const RATE = { coalesceMs: 5, burst: 100, refillMs: 10 };
const SENDER = { maxQueued: 100, timeoutMs: 2000, backoffMs: 20, backoffMaxMs: 50 };
const ev = (service: string, detail = 'HTTP 500'): AlertEvent => ({ kind: 'unhealthy', service, state: 'unhealthy', detail, next: `botstack logs ${service} --errors`, at: 0 });

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((s) => s()));

/** A channel answering from `reply`, recording every message it was given, and what the journal held when it was. */
function channel(reply: (n: number) => SendOutcome | 'hang', journal?: { state: JournalState }) {
  const got: OutMessage[] = [];
  const onDiskAtSend: number[] = [];
  const c: Channel = {
    name: 'telegram',
    send: (msg, signal) => {
      got.push(msg);
      onDiskAtSend.push(journal?.state.queues.telegram?.length ?? -1);
      const r = reply(got.length);
      if (r !== 'hang') return Promise.resolve(r);
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ type: 'retry', error: 'aborted' }), { once: true }));
    },
  };
  return { c, got, onDiskAtSend, services: () => got.flatMap((m) => m.events.map((e) => e.service)) };
}

function delivery(c: Channel, journal: ReturnType<typeof memoryJournal>, extra: { redact?: (t: string) => string } = {}) {
  const d = new Delivery(config, () => undefined, { timers: realTimers, rate: RATE, sender: SENDER, channels: [c], journal, ...extra });
  stops.push(() => d.stop());
  return d;
}

const until = (what: string, fn: () => boolean) => waitFor(what, () => (fn() ? true : undefined), { timeoutMs: 5000, intervalMs: 5 });

describe('alert journal', () => {
  it('an alert is on disk before its first attempt and leaves it once sent', async () => {
    const j = memoryJournal();
    const ch = channel(() => ({ type: 'sent' }), j);
    const d = delivery(ch.c, j);
    d.push([ev('api')]);
    await until('sent', () => ch.got.length === 1 && (j.state.queues.telegram?.length ?? 1) === 0);
    expect(ch.onDiskAtSend).toEqual([1]);
    expect(j.state.queues.telegram).toEqual([]);
  });

  it('stopped while the channel answers 429: three alerts, delivered by the next start, each once', async () => {
    const j = memoryJournal();
    const first = channel(() => ({ type: 'retry', error: 'HTTP 429', afterMs: 60_000 }));
    const d1 = delivery(first.c, j);
    d1.push([ev('api')]);
    await until('first attempt', () => first.got.length === 1);
    d1.push([ev('web')]);
    d1.push([ev('bot')]);
    await d1.drain(300); // resolves although the channel would have it wait 60 s
    expect(j.state.queues.telegram!.flatMap((m) => m.events.map((e) => e.service))).toEqual(['api', 'web', 'bot']);
    // The next start.
    const second = channel(() => ({ type: 'sent' }));
    const d2 = delivery(second.c, j);
    d2.restore(j.load());
    await until('all sent', () => j.state.queues.telegram?.length === 0);
    expect(second.services().sort()).toEqual(['api', 'bot', 'web']);
    expect(second.got.map((m) => m.text.includes(REPEAT_NOTE))).toEqual(second.got.map(() => false));
  });

  it('a stop delivers what the channel takes within the bound: nothing is left for the next start', async () => {
    const j = memoryJournal();
    let n = 0;
    const slow: Channel = { name: 'telegram', send: () => new Promise((r) => setTimeout(() => (n++, r({ type: 'sent' })), 100)) };
    const d = delivery(slow, j);
    d.push([ev('api')]);
    d.push([ev('web')]);
    await new Promise((r) => setTimeout(r, 20));
    d.push([ev('bot')]);
    await d.drain(3000);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(j.state.queues.telegram).toEqual([]);
    expect(j.state.pending).toEqual([]);
  });

  it('killed during an attempt: sent again on the next start, said to be a possible repeat', async () => {
    const j = memoryJournal();
    const first = channel(() => 'hang');
    delivery(first.c, j).push([ev('api')]);
    await until('in flight', () => first.got.length === 1);
    const atKill = JSON.parse(JSON.stringify(j.state)) as JournalState; // what a SIGKILL leaves on disk
    expect(atKill.queues.telegram).toEqual([expect.objectContaining({ inflight: true })]);
    const second = channel(() => ({ type: 'sent' }));
    const j2 = memoryJournal(atKill);
    delivery(second.c, j2).restore(j2.load());
    await until('resent', () => second.got.length === 1);
    expect(second.got[0]!.text.endsWith(REPEAT_NOTE)).toBe(true);
  });

  it('events are redacted before they are queued: neither the channel nor the journal holds the secret', async () => {
    const secret = '7412345678:AAHk2xQ9vL_mZpR8tYw3NcD5fGjK1sE0uOb';
    const j = memoryJournal();
    const ch = channel(() => 'hang');
    delivery(ch.c, j, { redact: makeRedactor([{ key: 'BOT_TOKEN', value: secret }]) }).push([ev('bot', `Token used: ${secret.slice(0, 20)}...`)]);
    await until('attempted', () => ch.got.length === 1);
    expect(ch.got[0]!.text).toContain('Token used: [redacted:BOT_TOKEN]...');
    expect(JSON.stringify(j.state)).not.toContain(secret.slice(0, 12));
  });
});

describe('the journal file', () => {
  it('keeps incidents for the same boot and daemon only; queued alerts whatever the owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'botstack-journal-'));
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'botstack-alerts.json');
    const logs: string[] = [];
    const state: JournalState = { incidents: [{ service: 'api', openedAtMono: 5, heals: 1, quiet: false, crashLoop: false, givenUp: false }], patterns: [], pending: [], queues: { telegram: [{ id: 'a', events: [ev('api')] }] } };
    fileJournal(path, { bootId: 'b1', daemonPid: 10 }, (l) => logs.push(l)).save(state);
    expect(fileJournal(path, { bootId: 'b1', daemonPid: 10 }, (l) => logs.push(l)).load()).toEqual(state);
    const other = fileJournal(path, { bootId: 'b1', daemonPid: 11 }, (l) => logs.push(l)).load();
    expect(other.incidents).toEqual([]);
    expect(other.queues).toEqual(state.queues);
    expect(logs).toEqual([`alerts: open incidents in ${path} belong to another pm2 daemon or boot; starting from what pm2 shows`]);
    expect(readFileSync(path, 'utf8')).toContain('"owner":{"bootId":"b1","daemonPid":10}');
  });
});
