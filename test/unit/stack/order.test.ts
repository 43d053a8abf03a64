import { describe, expect, it } from 'vitest';
import { startLevels, withDependencies, withDependents } from '../../../src/stack/order.js';
import type { Service } from '../../../src/stack/types.js';
import { load, svc } from './given.js';

const incident = () =>
  load([
    svc.mongod,
    { ...svc.api, dependsOn: ['mongod'] },
    { ...svc.api, name: 'web', app: 'web.app:app', port: 8003, dependsOn: ['api'] },
    { ...svc.bot, dependsOn: ['api'] },
    svc.monitor,
  ]).services;
const names = (xs: readonly Service[]) => xs.map((s) => s.name);

describe('startLevels', () => {
  it('starts mongod and the monitor first, then api, then web and bot together', () => {
    expect(startLevels(incident()).map(names)).toEqual([['mongod', 'monitor'], ['api'], ['web', 'bot']]);
  });

  it('puts every service after all its dependencies', () => {
    const levels = startLevels(incident());
    const level = new Map(levels.flatMap((l, i) => l.map((s) => [s.name, i] as const)));
    for (const s of incident()) for (const d of s.dependsOn) expect(level.get(d)).toBeLessThan(level.get(s.name)!);
  });

  it('keeps independent services in one level, in stack order', () => {
    expect(startLevels(load([svc.bot, svc.node, svc.command]).services).map(names)).toEqual([['bot', 'worker', 'redis', 'monitor']]);
  });

  it('throws on a cycle rather than looping (validation refuses cycles earlier)', () => {
    const a = { ...incident()[0]!, name: 'a', dependsOn: ['b'] };
    const b = { ...incident()[0]!, name: 'b', dependsOn: ['a'] };
    expect(() => startLevels([a, b])).toThrow('dependency cycle among: a, b');
  });
});

describe('withDependencies / withDependents', () => {
  it('adds everything web needs, transitively, in stack order', () => {
    expect(names(withDependencies(incident(), ['web']))).toEqual(['mongod', 'api', 'web']);
  });

  it('adds everything that stops working when mongod stops', () => {
    expect(names(withDependents(incident(), ['mongod']))).toEqual(['mongod', 'api', 'web', 'bot']);
    expect(names(withDependents(incident(), ['bot']))).toEqual(['bot']);
  });
});
