import { describe, expect, it } from 'vitest';
import { Brain } from './brain.js';

describe('service state machine, step by step with a fake clock', () => {
  it('a freshly spawned service is starting, and turns healthy on its first good probe', () => {
    const b = new Brain();
    b.online('api', 11);
    expect(b.get('api').state).toBe('starting');
    b.advance(1000).fail('api');
    b.advance(1000).fail('api');
    b.advance(1000).fail('api');
    b.advance(1000).fail('api');
    // Inside its 30 s grace: failures are counted, nothing is healed.
    expect(b.get('api')).toMatchObject({ state: 'starting', failures: 4 });
    expect(b.actions).toEqual([]);
    b.advance(1000).ok('api');
    expect(b.get('api')).toMatchObject({ state: 'healthy', failures: 0 });
  });

  it('healthy -> failing -> unhealthy at the threshold, and a heal is ordered exactly then', () => {
    const b = new Brain().allHealthy();
    expect(b.advance(1000).fail('api')).toEqual([]);
    expect(b.get('api').state).toBe('failing');
    expect(b.advance(1000).fail('api')).toEqual([]);
    const actions = b.advance(1000).fail('api');
    expect(b.get('api').state).toBe('unhealthy');
    expect(actions).toEqual([expect.objectContaining({ type: 'heal', name: 'api', cause: 'probe', force: false })]);
  });

  it('one good probe between failures resets the count', () => {
    const b = new Brain().allHealthy();
    b.fail('api');
    b.fail('api');
    b.ok('api');
    b.fail('api');
    expect(b.get('api')).toMatchObject({ state: 'failing', failures: 1 });
  });

  it('asks for a forced heal when the last probe timed out (the process answers nothing)', () => {
    const b = new Brain().allHealthy();
    b.fail('api', { timedOut: true });
    b.fail('api', { timedOut: true });
    expect(b.fail('api', { timedOut: true })).toEqual([expect.objectContaining({ type: 'heal', name: 'api', force: true })]);
  });

  it('healing -> starting with a fresh grace -> healthy; probes during the heal are ignored', () => {
    const b = new Brain().allHealthy();
    for (let i = 0; i < 3; i++) b.advance(1000).fail('api');
    b.step('api', { kind: 'heal-started' });
    expect(b.get('api')).toMatchObject({ state: 'healing', healsTotal: 1 });
    expect(b.fail('api')).toEqual([]);
    b.online('api', 999);
    expect(b.get('api').state).toBe('healing');
    b.advance(800).step('api', { kind: 'heal-finished' });
    expect(b.get('api')).toMatchObject({ state: 'starting', failures: 0 });
    b.advance(300).ok('api');
    expect(b.get('api').state).toBe('healthy');
  });

  it('a process pm2 is restarting is starting, and a stopped one is stopped: neither is healed', () => {
    const b = new Brain().allHealthy();
    b.step('bot', { kind: 'process', status: 'restarting', pid: 0, startedAt: null });
    for (let i = 0; i < 5; i++) b.advance(1000).fail('bot');
    expect(b.get('bot').state).toBe('starting');
    b.step('bot', { kind: 'process', status: 'stopped', pid: 0, startedAt: null });
    expect(b.advance(1000).fail('bot')).toEqual([]);
    expect(b.get('bot').state).toBe('stopped');
  });

  it('the monitor coming up over an old process does not restart it: grace is counted from pm2 start time, and the threshold still applies', () => {
    const b = new Brain();
    b.online('mongod', 10, b.t - 600_000);
    b.ok('mongod');
    b.online('api', 11, b.t - 600_000);
    expect(b.fail('api')).toEqual([]);
    expect(b.get('api').state).toBe('failing');
    b.ok('api');
    expect(b.get('api').state).toBe('healthy');
  });

  it('pause stops every heal; resume lets the decision through again', () => {
    const b = new Brain().allHealthy();
    b.paused = true;
    for (let i = 0; i < 5; i++) expect(b.advance(1000).fail('api')).toEqual([]);
    b.paused = false;
    expect(b.settle()).toEqual([expect.objectContaining({ type: 'heal', name: 'api' })]);
  });

  it('memory over the limit asks for a graceful heal at once', () => {
    const b = new Brain().allHealthy();
    expect(b.step('api', { kind: 'memory', bytes: 100, limit: 200 })).toEqual([]);
    expect(b.step('api', { kind: 'memory', bytes: 300, limit: 200 })).toEqual([expect.objectContaining({ type: 'heal', cause: 'memory', force: false })]);
  });
});

describe('state machine: the process our heal spawned', () => {
  it('seen in pm2 list only after it already answered: pid updated, no reset to starting', () => {
    const b = new Brain().allHealthy();
    for (let i = 0; i < 3; i++) b.advance(1000).fail('api');
    const spawnedAt = b.t + 300;
    b.step('api', { kind: 'heal-started' });
    b.advance(600).step('api', { kind: 'heal-finished' });
    b.advance(200).ok('api');
    b.advance(100).online('api', 4242, spawnedAt);
    expect(b.get('api')).toMatchObject({ state: 'healthy', pid: 4242 });
  });

  it('seen only once it is already failing again: it keeps failing toward the threshold, no fresh grace', () => {
    const b = new Brain().allHealthy();
    for (let i = 0; i < 3; i++) b.advance(1000).fail('api');
    const spawnedAt = b.t + 300;
    b.step('api', { kind: 'heal-started' });
    b.advance(600).step('api', { kind: 'heal-finished' });
    b.advance(200).ok('api');
    b.advance(1000).fail('api');
    b.advance(100).online('api', 4243, spawnedAt);
    expect(b.get('api')).toMatchObject({ state: 'failing', pid: 4243, failures: 1 });
  });
});
