import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/monitor/policy.js';
import { Brain } from './brain.js';

const healTwice = (b: Brain, name: string) => {
  for (let i = 0; i < 3; i++) b.advance(1000).fail(name);
  b.step(name, { kind: 'heal-started' });
  b.advance(1000).step(name, { kind: 'heal-finished' });
  b.advance(1000).ok(name);
};

describe('heal decision: dependencies, budgets, crash loops', () => {
  it('mongod down: api and web are blocked by mongod, only mongod is healed', () => {
    const b = new Brain().allHealthy();
    b.fail('mongod');
    for (let i = 0; i < 4; i++) {
      b.advance(1000).fail('api');
      b.fail('web');
    }
    expect(b.get('api')).toMatchObject({ state: 'blocked', blockedBy: 'mongod' });
    expect(b.get('web')).toMatchObject({ state: 'blocked', blockedBy: 'mongod' });
    expect(b.actions.filter((a) => a.name !== 'mongod')).toEqual([]);
    b.fail('mongod');
    expect(b.fail('mongod')).toEqual([expect.objectContaining({ type: 'heal', name: 'mongod' })]);
  });

  it('a dependency that recovers unblocks its dependents with a fresh failure count', () => {
    const b = new Brain().allHealthy();
    b.fail('mongod');
    for (let i = 0; i < 4; i++) b.advance(1000).fail('api');
    b.ok('mongod');
    expect(b.get('api')).toMatchObject({ state: 'failing', failures: 0, blockedBy: null });
    expect(b.advance(1000).fail('api')).toEqual([]);
    b.advance(1000).fail('api');
    expect(b.advance(1000).fail('api')).toEqual([expect.objectContaining({ type: 'heal', name: 'api' })]);
  });

  it('a dependency that is itself restarting blocks its dependents too', () => {
    const b = new Brain().allHealthy();
    b.step('api', { kind: 'process', status: 'restarting', pid: 0, startedAt: null });
    for (let i = 0; i < 4; i++) b.advance(1000).fail('web');
    expect(b.get('web')).toMatchObject({ state: 'blocked', blockedBy: 'api' });
    expect(b.actions).toEqual([]);
  });

  it('caps heals per window with backoff, then gives up visibly and stops healing', () => {
    const policy = { ...DEFAULT_POLICY, maxHeals: 2, healBackoffMs: 5000 };
    const b = new Brain(policy).allHealthy();
    healTwice(b, 'api');
    // Second heal: backoff after 1 heal is 5 s from the first.
    for (let i = 0; i < 3; i++) b.advance(1000).fail('api');
    expect(b.actions).toEqual([expect.objectContaining({ type: 'heal', name: 'api' })]);
    b.step('api', { kind: 'heal-started' });
    b.advance(1000).step('api', { kind: 'heal-finished' });
    b.advance(1000).ok('api');
    for (let i = 0; i < 3; i++) b.advance(1000).fail('api');
    expect(b.actions).toEqual([expect.objectContaining({ type: 'give-up', name: 'api', stop: false })]);
    b.step('api', { kind: 'gave-up', reason: 'healed 2 times', stopped: false });
    expect(b.get('api').state).toBe('given-up');
    for (let i = 0; i < 5; i++) expect(b.advance(1000).fail('api')).toEqual([]);
    // Others untouched.
    expect(['mongod', 'web', 'bot'].map((n) => b.get(n).state)).toEqual(['healthy', 'healthy', 'healthy']);
  });

  it('waits out the backoff before a second heal', () => {
    const policy = { ...DEFAULT_POLICY, healBackoffMs: 10_000 };
    const b = new Brain(policy).allHealthy();
    healTwice(b, 'api');
    for (let i = 0; i < 3; i++) b.advance(1000).fail('api');
    // 6 s since the first heal: backoff 10 s not yet over.
    expect(b.actions).toEqual([]);
    b.advance(5000);
    expect(b.settle()).toEqual([expect.objectContaining({ type: 'heal', name: 'api' })]);
  });

  it('a pm2-side crash loop gives up and asks to stop the service; others are untouched', () => {
    const b = new Brain().allHealthy().advance(10_000);
    b.crashes.set('bot', [b.t - 4000, b.t - 3000, b.t - 2000, b.t - 1000]);
    expect(b.settle()).toEqual([]);
    b.crashes.get('bot')!.push(b.t);
    expect(b.settle()).toEqual([expect.objectContaining({ type: 'give-up', name: 'bot', stop: true })]);
    b.step('bot', { kind: 'gave-up', reason: 'crash loop', stopped: true });
    b.step('bot', { kind: 'process', status: 'stopped', pid: 0, startedAt: null });
    expect(b.get('bot').state).toBe('given-up');
    // An operator's restart later clears it, and old crashes no longer count.
    b.advance(60_000).online('bot', 500);
    expect(b.get('bot').state).toBe('starting');
    expect(b.actions).toEqual([]);
  });

  it('an online event for a process that pm2 spawned before the give-up does not clear it', () => {
    const b = new Brain().allHealthy();
    b.step('bot', { kind: 'gave-up', reason: 'crash loop', stopped: true });
    b.online('bot', 600, b.t - 10);
    expect(b.get('bot').state).toBe('given-up');
  });

  it('a crash-looping service whose dependency is down is not given up on', () => {
    const b = new Brain().allHealthy();
    for (let i = 0; i < 3; i++) b.fail('api');
    b.step('api', { kind: 'heal-started' });
    b.crashes.set('bot', [b.t, b.t, b.t, b.t, b.t]);
    expect(b.settle().filter((a) => a.name === 'bot')).toEqual([]);
  });
});
