import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { exportStack } from '../../../src/export/render.js';
import { inline } from './stacks.js';

// One test per mapping: the stack field in, the Compose and Kubernetes field out.

// Parsed YAML, read by path in assertions.
type Obj = Record<string, any>;

const base = (extra: Obj = {}): Obj => ({
  name: 'shop',
  services: [
    { name: 'mongod', kind: 'mongod' },
    { name: 'api', kind: 'uvicorn', app: 'api.app:app', port: 8002, dependsOn: ['mongod'], env: { MONGO_URL: 'mongodb://127.0.0.1:27017/shop' }, ...extra },
    { name: 'bot', kind: 'python', script: 'bot/main.py', dependsOn: ['api'], env: { API_URL: 'http://localhost:8002/v1' }, secrets: ['TELEGRAM_BOT_TOKEN'], health: { type: 'heartbeat', file: 'run/bot.beat', maxAge: '30s' } },
    { name: 'monitor', kind: 'monitor' },
  ],
});

async function both(input: Obj): Promise<{ compose: Obj; k8s: Record<string, Obj> }> {
  const stack = await inline(input);
  const c = exportStack(stack, 'compose');
  const k = exportStack(stack, 'k8s');
  const compose = parse(c.files.find((f) => f.path === 'compose.yaml')!.content) as Obj;
  const k8s: Record<string, Obj> = {};
  for (const f of k.files.filter((f) => f.path.endsWith('.yaml'))) for (const d of parseAllDocuments(f.content)) {
    const o = d.toJS() as Obj;
    k8s[`${o.kind}/${o.metadata.name}`] = o;
  }
  return { compose, k8s };
}

const podOf = (o: Obj): Obj => o.spec.template.spec;
const containerOf = (o: Obj): Obj => podOf(o).containers[0];

describe('export mappings', () => {
  it('http health: compose runs the service\'s own python; k8s readiness is an httpGet, liveness any answer', async () => {
    const { compose, k8s } = await both(base({ health: { type: 'http', path: '/ping', interval: '2s', timeout: '3s', failureThreshold: 4, startGrace: '20s' } }));
    const hc = compose.services.api.healthcheck;
    expect(hc.test.slice(0, 3)).toEqual(['CMD', 'python', '-c']);
    expect(hc.test[3]).toContain('http://127.0.0.1:8002/ping');
    // An exec'd python check: at most every 5 s, 2 s for the interpreter on top of the check's own timeout.
    expect(hc).toMatchObject({ interval: '5s', timeout: '5s', retries: 4, start_period: '20s' });
    // Compose 1.29 with Engine 20.10 refuses the whole file for start_interval (Engine 25+ only).
    expect(hc).not.toHaveProperty('start_interval');
    const c = containerOf(k8s['Deployment/api']!);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ping', port: 8002 }, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 4 });
    expect(c.livenessProbe.exec.command[2]).toContain('except urllib.error.HTTPError');
    expect(c.livenessProbe).toMatchObject({ periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 4 });
    expect(c.startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 4 });
  });

  it('tcp health: tcpSocket in k8s, a python connect in compose', async () => {
    const { compose, k8s } = await both(base({ health: { type: 'tcp' } }));
    expect(compose.services.api.healthcheck.test[3]).toContain('socket.create_connection(("127.0.0.1", 8002)');
    expect(containerOf(k8s['Deployment/api']!).livenessProbe.tcpSocket).toEqual({ port: 8002 });
  });

  it('mongo health: a mongosh ping, no more often than every 10 s; liveness is only the port', async () => {
    const { compose, k8s } = await both(base());
    expect(compose.services.mongod.healthcheck).toMatchObject({ interval: '10s', timeout: '5s' });
    expect(compose.services.mongod.healthcheck.test).toContain('mongosh');
    const c = containerOf(k8s['StatefulSet/mongod']!);
    expect(c.readinessProbe.exec.command[0]).toBe('mongosh');
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 27017 } });
  });

  it('heartbeat health: the file age, read where the service is told to write it', async () => {
    const { compose, k8s } = await both(base());
    expect(compose.services.bot.environment.BOTSTACK_HEARTBEAT).toBe('/app/run/bot.beat');
    expect(compose.services.bot.healthcheck.test[3]).toContain('os.stat("/app/run/bot.beat").st_mtime');
    // A heartbeat the bot never opted into (no file, or one this process never touched) passes, as on pm2.
    expect(compose.services.bot.healthcheck.test[3]).toContain('except FileNotFoundError:\n    sys.exit(0)');
    expect(compose.services.bot.healthcheck.test[3]).toContain('m < born or time.time() - m <= 30');
    expect(containerOf(k8s['Deployment/bot']!).livenessProbe.exec.command[2]).toContain('/app/run/bot.beat');
  });

  it('dependencies: depends_on waits for healthy; liveness never names a dependency', async () => {
    const { compose, k8s } = await both(base());
    expect(compose.services.api.depends_on).toEqual({ mongod: { condition: 'service_healthy' } });
    expect(compose.services.bot.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    for (const o of Object.values(k8s).filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
      const live = JSON.stringify(containerOf(o).livenessProbe);
      for (const other of ['mongod', 'api', 'bot'].filter((n) => n !== o.metadata.name)) expect(live).not.toContain(`${other}:`);
    }
  });

  it('stop timeout -> stop_grace_period and terminationGracePeriodSeconds', async () => {
    const { compose, k8s } = await both(base({ stop: { timeout: '42s' } }));
    expect(compose.services.api.stop_grace_period).toBe('42s');
    expect(podOf(k8s['Deployment/api']!).terminationGracePeriodSeconds).toBe(42);
    expect(podOf(k8s['StatefulSet/mongod']!).terminationGracePeriodSeconds).toBe(60);
  });

  it('memory limit -> mem_limit and limits/requests; mongod has none by default', async () => {
    const { compose, k8s } = await both(base({ limits: { memory: '768M' } }));
    expect(compose.services.api.mem_limit).toBe('768m');
    expect(containerOf(k8s['Deployment/api']!).resources).toEqual({ requests: { memory: '768Mi' }, limits: { memory: '768Mi' } });
    expect(compose.services.mongod.mem_limit).toBeUndefined();
  });

  it('the bot: one replica, Recreate, so two pollers never overlap; the api rolls', async () => {
    const { k8s } = await both(base());
    expect(k8s['Deployment/bot']!.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(k8s['Deployment/api']!.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  it('mongod: StatefulSet with a claim and a headless Service; compose: a named volume, internal network, no port', async () => {
    const { compose, k8s } = await both(base());
    const ss = k8s['StatefulSet/mongod']!;
    expect(ss.spec.serviceName).toBe('mongod');
    expect(ss.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(containerOf(ss).volumeMounts).toEqual([{ name: 'data', mountPath: '/data/db' }]);
    expect(k8s['Service/mongod']!.spec.clusterIP).toBe('None');
    expect(k8s['Service/api']!.spec.type).toBe('ClusterIP');
    expect(k8s['Service/bot']).toBeUndefined();
    expect(compose.services.mongod).toMatchObject({ volumes: ['mongod-data:/data/db'], networks: ['backend'] });
    expect(compose.services.mongod.ports).toBeUndefined();
    expect(compose.networks.backend).toEqual({ internal: true });
    expect(compose.services.api.networks).toEqual(['backend', 'frontend']);
    expect(compose.services.bot.networks).toEqual(['frontend']);
    // In the cluster, only the services that reach mongod are let in.
    const policy = k8s['NetworkPolicy/mongod-clients']!;
    expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/name']).toBe('mongod');
    expect(policy.spec.ingress[0].from[0].podSelector.matchExpressions).toEqual([{ key: 'app.kubernetes.io/name', operator: 'In', values: ['api'] }]);
  });

  it('an env change changes the pod template, so apply rolls the workload', async () => {
    const hash = (o: Obj): string => o.spec.template.metadata.annotations['botstack.dev/env-sha256'];
    const before = await both(base());
    const input = base();
    input.services[2].env.API_URL = 'http://localhost:8002/v2';
    const after = await both(input);
    expect(hash(after.k8s['Deployment/bot']!)).not.toBe(hash(before.k8s['Deployment/bot']!));
    expect(hash(after.k8s['Deployment/api']!)).toBe(hash(before.k8s['Deployment/api']!));
  });

  it('hosts and URLs: 0.0.0.0 in the container, dependencies by service name, loopback ports published only on 127.0.0.1', async () => {
    const { compose, k8s } = await both(base());
    expect(compose.services.api.command).toEqual(['python', '-m', 'uvicorn', 'api.app:app', '--host', '0.0.0.0', '--port', '8002']);
    expect(compose.services.mongod.command).toContain('--bind_ip_all');
    expect(compose.services.api.environment.MONGO_URL).toBe('mongodb://mongod:27017/shop');
    expect(compose.services.bot.environment.API_URL).toBe('http://api:8002/v1');
    expect(k8s['ConfigMap/bot-env']!.data.API_URL).toBe('http://api:8002/v1');
    expect(compose.services.api.ports).toEqual(['127.0.0.1:8002:8002']);
  });

  it('a loopback URL no service owns is kept and warned about', async () => {
    const input = base();
    input.services[2].env.CACHE = 'redis://127.0.0.1:6379';
    const r = exportStack(await inline(input), 'compose');
    expect(r.warnings.join('\n')).toContain('bot: env CACHE=redis://127.0.0.1:6379 points at 127.0.0.1:6379, which no exported service listens on');
  });

  it('a bare port of another service is warned about: the host the code pairs it with is not in the stack', async () => {
    const input = base();
    input.services[1].env.MONGO_PORT = '27017';
    const r = exportStack(await inline(input), 'compose');
    expect(r.warnings).toContain('api: env MONGO_PORT=27017 is mongod\'s port; whatever host the code pairs it with must be "mongod" in a container, not 127.0.0.1');
  });

  it('the development profile\'s --reload never ships, and says so', async () => {
    const input = base({ reloadInDevelopment: true });
    input.profile = 'development';
    const stack = await inline(input);
    expect(stack.services.find((s) => s.name === 'api')!.launch.args).toContain('--reload');
    const r = exportStack(stack, 'compose');
    expect(r.files[0]!.content).not.toContain('--reload');
    expect(r.warnings).toContain('api: --reload (the development profile) left out: an image never reloads');
  });

  it('a command service: no Dockerfile and no Compose healthcheck for it, both said; k8s still probes natively', async () => {
    const input = base();
    input.services.push({ name: 'proxy', kind: 'command', command: '/usr/sbin/nginx', args: ['-g', 'daemon off;'], port: 8080, health: { type: 'http', path: '/' } });
    const stack = await inline(input);
    const c = exportStack(stack, 'compose');
    expect(c.warnings).toContain('proxy: no Dockerfile is generated for a "command" service; build shop-proxy:latest yourself or pass --image proxy=<image>');
    expect(c.warnings).toContain('proxy: no python or node can be assumed in a "command" image, so Compose gets no healthcheck for it; add one by hand');
    const { compose, k8s } = await both(input);
    expect(compose.services.proxy.healthcheck).toBeUndefined();
    const proxy = containerOf(k8s['Deployment/proxy']!);
    expect(proxy.readinessProbe.httpGet).toEqual({ path: '/', port: 8080 });
    expect(proxy.livenessProbe.tcpSocket).toEqual({ port: 8080 });
  });

  it('env values that YAML 1.1 would read as bools or numbers stay strings in both outputs', async () => {
    const input = base();
    input.services[2].env = { ...input.services[2].env, DEBUG: 'yes', FEATURE: 'on', MODE: '0755', AT: '12:30', COUNT: '1_000' };
    const stack = await inline(input);
    const compose = exportStack(stack, 'compose').files.find((f) => f.path === 'compose.yaml')!.content;
    const bot = exportStack(stack, 'k8s').files.find((f) => f.path === 'bot.yaml')!.content;
    const want = { DEBUG: 'yes', FEATURE: 'on', MODE: '0755', AT: '12:30', COUNT: '1_000' };
    // Read as kubectl and older Compose read it: YAML 1.1.
    expect((parse(compose, { version: '1.1' }) as Obj).services.bot.environment).toMatchObject(want);
    expect((parseAllDocuments(bot, { version: '1.1' })[0]!.toJS() as Obj).data).toMatchObject(want);
  });

  it('pods get no service-link env (a Service named api would set API_PORT=tcp://...) and no API token', async () => {
    const { k8s } = await both(base());
    for (const key of ['Deployment/api', 'Deployment/bot', 'StatefulSet/mongod']) {
      expect(podOf(k8s[key]!)).toMatchObject({ enableServiceLinks: false, automountServiceAccountToken: false });
    }
  });

  it('services come out in start order, dependencies first, whatever order the stack file lists them in', async () => {
    const input = base();
    input.services.reverse();
    const { compose } = await both(input);
    // botstack's monitor comes last: it watches the others, and nothing waits for it.
    expect(Object.keys(compose.services)).toEqual(['mongod', 'api', 'bot', 'monitor']);
    const k = exportStack(await inline(input), 'k8s');
    expect(k.files.map((f) => f.path).filter((p) => p.endsWith('.yaml'))).toEqual(['mongod.yaml', 'api.yaml', 'bot.yaml']);
  });

  it('labels follow app.kubernetes.io/*; the selector holds only name and instance', async () => {
    const { k8s } = await both(base());
    const d = k8s['Deployment/api']!;
    expect(d.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'botstack' });
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop' });
  });

  it('the monitor is left out of k8s (no Docker driver there) and of compose with monitor: false, and says so in the files', async () => {
    const stack = await inline(base());
    for (const r of [exportStack(stack, 'k8s'), exportStack(stack, 'compose', { monitor: false })]) {
      const text = r.files.map((f) => f.content).join('\n');
      expect(text).toContain('Not exported: monitor');
      expect(text).not.toMatch(/name: monitor|^ {2}monitor:/m);
    }
  });

  it("compose exports the monitor as a container: the Docker socket mounted into it and no other, no host port, its stack in its image", async () => {
    const stack = await inline(base());
    const r = exportStack(stack, 'compose');
    const compose = parse(r.files.find((f) => f.path === 'compose.yaml')!.content) as Obj;
    expect(compose.services.monitor).toMatchObject({ image: 'shop-monitor:latest', build: { context: 'monitor' }, volumes: ['${BOTSTACK_DOCKER_SOCKET:-/var/run/docker.sock}:/var/run/docker.sock'], restart: 'unless-stopped' });
    expect(compose.services.monitor.ports).toBeUndefined();
    for (const [name, svc] of Object.entries(compose.services as Record<string, Obj>)) if (name !== 'monitor') expect(JSON.stringify(svc.volumes ?? [])).not.toContain('docker.sock');
    expect(r.files.map((f) => f.path)).toEqual(expect.arrayContaining(['monitor/Dockerfile', 'monitor/stack.json']));
    expect(JSON.parse(r.files.find((f) => f.path === 'monitor/stack.json')!.content).name).toBe('shop');
    expect(compose.services.monitor.networks).toEqual(Object.keys(compose.networks));
  });

  it('a stack change (a new port, a new memory limit) reaches both outputs', async () => {
    const before = await both(base());
    const after = await both(base({ port: 9100, limits: { memory: '1G' } }));
    expect(before.compose.services.api.ports).toEqual(['127.0.0.1:8002:8002']);
    expect(after.compose.services.api.ports).toEqual(['127.0.0.1:9100:9100']);
    expect(after.compose.services.api.mem_limit).toBe('1g');
    expect(after.k8s['Service/api']!.spec.ports[0].port).toBe(9100);
    expect(containerOf(after.k8s['Deployment/api']!).ports).toEqual([{ name: 'http', containerPort: 9100 }]);
    expect(containerOf(after.k8s['Deployment/api']!).resources.limits.memory).toBe('1Gi');
  });
});
