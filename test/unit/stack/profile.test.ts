import { unheld } from '../../../src/stack/launch-held.js';
import { describe, expect, it } from 'vitest';
import { profileFromArgv } from '../../../src/stack/load.js';
import { load, problems, stackOf, svc } from './given.js';

const reloading = { ...svc.api, reloadInDevelopment: true };
// The service's own uvicorn arguments, with or without the socket holder in front (a --reload run has none).
const args = (g: Parameters<typeof load>[1]) => unheld(load([reloading, svc.bot], g).services[0]!.launch).args;

describe('development profile', () => {
  it('is off by default: production, no --reload even with reloadInDevelopment', () => {
    const s = load([reloading]);
    expect(s.profile).toBe('production');
    expect(s.services[0]?.reload).toBe(false);
    expect(args({})).toEqual(['api_v2.app:app', '--host', '127.0.0.1', '--port', '8002']);
  });

  it('BOTSTACK_ENV=development adds --reload to uvicorn services that opt in', () => {
    const s = load([reloading, svc.bot], { env: { BOTSTACK_ENV: 'development' } });
    expect(s.profile).toBe('development');
    expect(s.services[0]?.reload).toBe(true);
    expect(s.services[0]?.launch.args).toEqual(['api_v2.app:app', '--host', '127.0.0.1', '--port', '8002', '--reload']);
    expect(s.services[1]?.reload).toBe(false);
  });

  it('adds no --reload in development to a uvicorn service that does not opt in', () => {
    const s = load([svc.api], { env: { BOTSTACK_ENV: 'development' } });
    expect(s.services[0]?.launch.args).not.toContain('--reload');
  });

  it('is chosen by the file, and pm2\'s --env overrides both the file and BOTSTACK_ENV', () => {
    expect(load([reloading], { stack: { profile: 'development' } }).profile).toBe('development');
    expect(load([reloading], { env: { BOTSTACK_ENV: 'development' }, profile: 'production' }).services[0]?.reload).toBe(false);
    expect(load([reloading], { stack: { profile: 'development' }, profile: 'production' }).profile).toBe('production');
    expect(args({ profile: 'development' })).toContain('--reload');
  });

  it('allows watch and reload flags only in development', () => {
    const dev = load([{ ...svc.api, watch: true, args: ['--reload'] }], { env: { BOTSTACK_ENV: 'development' } });
    expect(dev.services[0]?.watch).toBe(true);
    expect(problems(stackOf([{ ...svc.api, watch: true, args: ['--reload'] }])).map((p) => p.path)).toEqual(['services.0.watch', 'services.0.args']);
  });

  it('treats an empty BOTSTACK_ENV as production', () => {
    expect(load([reloading], { env: { BOTSTACK_ENV: '' } }).profile).toBe('production');
  });
});

describe('profileFromArgv (pm2 start ecosystem.config.cjs --env <name>)', () => {
  it.each([
    [['node', 'pm2', 'start', 'ecosystem.config.cjs', '--env', 'development'], 'development'],
    [['node', 'pm2', 'start', 'ecosystem.config.cjs', '--env=production'], 'production'],
    [['node', 'pm2', 'start', 'ecosystem.config.cjs', '--env', 'staging'], undefined],
    [['node', 'pm2', 'start', 'ecosystem.config.cjs'], undefined],
  ] as const)('%j -> %s', (argv, profile) => expect(profileFromArgv(argv)).toBe(profile));
});
