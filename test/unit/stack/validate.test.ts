import { describe, expect, it } from 'vitest';
import { FILE, load, problems, stackOf, svc } from './given.js';

// Checks across the whole stack: they run after the schema and before pm2.

describe('duplicates', () => {
  it('refuses two services with one name (pm2 would merge them into one app)', () => {
    expect(problems(stackOf([svc.api, { ...svc.bot, name: 'api' }]))).toEqual([
      { file: FILE, path: 'services.1.name', service: 'api', message: 'name "api" is already used by services.0; pm2 would merge them into one app', fix: 'give every service its own name' },
    ]);
  });

  it('refuses two services on one port and host', () => {
    expect(problems(stackOf([svc.api, { ...svc.api, name: 'web', app: 'web.app:app' }]))).toEqual([
      { file: FILE, path: 'services.1.port', service: 'web', message: 'port 8002 is also used by services.0 (api); the second to start would fail to bind', fix: 'give web a free port' },
    ]);
  });

  it('treats 0.0.0.0 as overlapping every host, and different hosts as distinct', () => {
    const web = { ...svc.api, name: 'web', app: 'web.app:app' };
    expect(problems(stackOf([svc.api, { ...web, host: '0.0.0.0' }])).map((p) => p.path)).toEqual(['services.1.port']);
    expect(() => problems(stackOf([svc.api, { ...web, host: '10.0.0.2' }]))).toThrow('the stack loaded');
  });

  it('counts mongod\'s default 27017 as taken', () => {
    expect(problems(stackOf([svc.mongod, { ...svc.api, port: 27017 }]))[0]?.message).toBe('port 27017 is also used by services.0 (mongod); the second to start would fail to bind');
  });
});

describe('dependencies', () => {
  it('refuses a dependency on a service that does not exist, listing the services', () => {
    expect(problems(stackOf([svc.mongod, { ...svc.api, dependsOn: ['mongo'] }]))).toEqual([
      { file: FILE, path: 'services.1.dependsOn.0', service: 'api', message: '"mongo" is not a service in this stack (services: mongod, api, monitor)', fix: 'name an existing service or remove the dependency' },
    ]);
  });

  it('refuses a service that depends on itself', () => {
    expect(problems(stackOf([{ ...svc.api, dependsOn: ['api'] }]))).toEqual([
      { file: FILE, path: 'services.0.dependsOn.0', service: 'api', message: 'api depends on itself', fix: 'remove "api" from api.dependsOn' },
    ]);
  });

  it('refuses a cycle, spelling it out', () => {
    const got = problems(stackOf([
      { ...svc.mongod, dependsOn: ['bot'] },
      { ...svc.api, dependsOn: ['mongod'] },
      { ...svc.bot, dependsOn: ['api'] },
    ]));
    expect(got).toEqual([
      { file: FILE, path: 'services.0.dependsOn', service: 'mongod', message: 'dependency cycle: mongod -> bot -> api -> mongod; no start order exists', fix: 'remove one of these dependencies' },
    ]);
  });
});

describe('ports', () => {
  it('refuses a uvicorn service without a port', () => {
    expect(problems(stackOf([{ name: 'api', kind: 'uvicorn', app: 'api_v2.app:app' }]))).toEqual([
      { file: FILE, path: 'services.0.port', service: 'api', message: 'api needs a port (uvicorn listens on one)', fix: 'add port: <number> to api' },
    ]);
  });

  it('refuses a tcp or http health check without a port', () => {
    expect(problems(stackOf([{ ...svc.command, health: { type: 'tcp' } }]))[0]?.message).toBe('redis needs a port (its tcp health check connects to it)');
    expect(problems(stackOf([{ ...svc.node, health: { type: 'http', path: '/' } }]))[0]?.message).toBe('worker needs a port (its http health check connects to it)');
  });
});

describe('BOTSTACK_ENV', () => {
  it('refuses a profile name it does not know, alongside any schema problem', () => {
    const envProblem = { file: FILE, path: '(env).BOTSTACK_ENV', message: 'BOTSTACK_ENV is "prod"; expected "production" or "development"', fix: 'unset BOTSTACK_ENV for production, or set it to development' };
    expect(problems(stackOf([svc.api]), { BOTSTACK_ENV: 'prod' })).toEqual([envProblem]);
    expect(problems(stackOf([{ ...svc.api, typo: 1 }]), { BOTSTACK_ENV: 'prod' }).map((p) => p.path)).toEqual(['(env).BOTSTACK_ENV', 'services.0.typo']);
  });
});

describe('the whole stack at once', () => {
  it('reports every whole-stack problem together', () => {
    const got = problems(stackOf([svc.api, { ...svc.api, watch: true, dependsOn: ['nope'] }]));
    expect(got.map((p) => p.path)).toEqual(['services.1.name', 'services.1.port', 'services.1.dependsOn.0', 'services.1.watch']);
  });
});

describe('the implicit monitor', () => {
  const kinds = (s: { services: readonly { name: string; kind: string }[] }) => s.services.map((x) => `${x.name}:${x.kind}`);

  it('adds the monitor, last, to a stack that declares none', () => {
    expect(kinds(load([svc.mongod, svc.api]))).toEqual(['mongod:mongod', 'api:uvicorn', 'monitor:monitor']);
  });

  it('adds no second monitor to a stack that declares one, under any name', () => {
    expect(kinds(load([svc.mongod, { name: 'watchdog', kind: 'monitor' }]))).toEqual(['mongod:mongod', 'watchdog:monitor']);
  });

  it('adds none when the stack says monitor: false', () => {
    expect(kinds(load([svc.mongod], { stack: { monitor: false } }))).toEqual(['mongod:mongod']);
  });

  it('names it botstack-monitor when a service is already called monitor', () => {
    expect(kinds(load([{ ...svc.command, name: 'monitor' }]))).toEqual(['monitor:command', 'botstack-monitor:monitor']);
  });

  it('refuses a monitor that is not a boolean, naming the field', () => {
    expect(problems(stackOf([svc.mongod], { stack: { monitor: 'off' as unknown as boolean } })).map((p) => p.path)).toEqual(['monitor']);
  });
});
