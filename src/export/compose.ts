import { join, relative } from 'node:path';
import { Scalar } from 'yaml';
import { LOGGING } from './compose-logging.js';
import { exportedHeader } from './header.js';
import { monitorService } from './monitor.js';
import type { ContainerService, ExportFile, ExportModel, Timed } from './types.js';
import { dockerBytes, goDuration, yamlDoc } from './yaml.js';

// ExportModel -> compose.yaml. mongod sits on an internal network with no
// published port; the services that reach it join that network too. HTTP
// ports are published on the host's loopback only, as they bind on the VPS.

export { LOGGING } from './compose-logging.js';
const BACKEND = 'backend';
const FRONTEND = 'frontend';

export interface ComposeOptions {
  /**
   * The output folder, absolute. When known, each built service gets a `build:`
   * (the stack root as context, the exported Dockerfile), so `up --build` builds it.
   */
  readonly outDir?: string;
  /** botstack's monitor as a container (its name in the stack), healing through the Docker Engine; null: not exported. */
  readonly monitor?: string | null;
}

export function composeFiles(model: ExportModel, opts: ComposeOptions = {}): ExportFile[] {
  const mongods = new Set(model.services.filter((s) => s.kind === 'mongod').map((s) => s.name));
  const healthy = new Set(model.services.filter((s) => s.checks?.compose).map((s) => s.name));
  const services: Record<string, unknown> = {};
  const build = opts.outDir !== undefined ? { context: model.root, dockerfile: relative(model.root, join(opts.outDir, 'Dockerfile')) } : null;
  for (const s of model.services) services[s.name] = composeService(s, mongods, healthy, s.builtHere ? build : null);
  const volumes = Object.fromEntries([...mongods].map((m) => [volumeName(m), {}]));
  const networks = { ...(mongods.size > 0 ? { [BACKEND]: { internal: true } } : {}), [FRONTEND]: {} };
  const monitor = opts.monitor ?? null;
  if (monitor !== null) services[monitor] = monitorService(model, Object.keys(networks));
  // No top-level `name:` (Compose 1.29 refuses the file for it): the project is named with -p, which both Composes take.
  const doc = { services, networks, ...(mongods.size > 0 ? { volumes } : {}) };
  const shown = monitor === null ? model : { ...model, omitted: model.omitted.filter((o) => o.name !== monitor) };
  const files: ExportFile[] = [{ path: 'compose.yaml', content: yamlDoc(doc, header(shown, monitor)) }];
  const secrets = [...new Set(model.services.flatMap((s) => s.secrets))];
  if (secrets.length > 0) files.push({ path: '.env.example', content: ['# Names only: copy to .env beside compose.yaml and fill in the values. Never commit .env.', ...secrets.map((k) => `${k}=`), ''].join('\n') });
  return files;
}

function header(model: ExportModel, monitor: string | null): string[] {
  const secretLines = model.services.filter((s) => s.secrets.length > 0).map((s) => `  ${s.name}: ${s.secrets.join(', ')}`);
  return [
    ...exportedHeader(model, `docker compose -p ${model.stack} up -d --build   (Debian 12: docker-compose -p ${model.stack} up -d --build)`),
    'Valid for Compose v2 and for Compose 1.29 with Engine 20.10 (Debian 12): no key newer engines alone know.',
    ...(secretLines.length > 0 ? ['Secrets come from .env beside this file (env_file), by name; no value is written here:', ...secretLines] : []),
    `mongod is on the internal "${BACKEND}" network and publishes no port. HTTP ports are published on 127.0.0.1 only.`,
    ...(monitor === null
      ? ['Compose restarts a container that exits, not one whose healthcheck fails: see docs/scale-out.md.']
      : [
          `${monitor}: botstack's monitor restarts a container that is up but failing its check, unless a dependency it needs is down.`,
          `It mounts the Docker socket, and the socket is root on this host: see docs/scale-out.md to narrow it. Without it: --scale ${monitor}=0.`,
        ]),
  ];
}

const volumeName = (mongod: string): string => `${mongod}-data`;

function composeService(s: ContainerService, mongods: ReadonlySet<string>, healthy: ReadonlySet<string>, build: Record<string, string> | null): Record<string, unknown> {
  const isMongo = mongods.has(s.name);
  const reachesMongo = s.reaches.some((r) => mongods.has(r));
  const dependsOn = Object.fromEntries(s.dependsOn.map((d) => [d, { condition: healthy.has(d) ? 'service_healthy' : 'service_started' }]));
  const env = Object.keys(s.env).length > 0 ? s.env : undefined;
  // Keys in the order Compose linters (dclint) expect, so a reviewer finds each where they look.
  return {
    image: s.image,
    // Every service of the shared image builds it: the second and third builds are the cache's.
    ...(build !== null ? { build } : {}),
    ...(s.dependsOn.length > 0 ? { depends_on: dependsOn } : {}),
    ...(isMongo ? { volumes: [`${volumeName(s.name)}:${s.dataDir}`] } : {}),
    ...(env ? { environment: env } : {}),
    ...(s.secrets.length > 0 ? { env_file: '.env' } : {}),
    // Quoted: an unquoted "a:b" is a base-60 number to a YAML 1.1 reader.
    ...(s.port !== null && !isMongo ? { ports: [quoted(`127.0.0.1:${s.port}:${s.port}`)] } : {}),
    networks: isMongo ? [BACKEND] : reachesMongo ? [BACKEND, FRONTEND] : [FRONTEND],
    command: [...s.command],
    ...(s.workdir !== null ? { working_dir: s.workdir } : {}),
    restart: 'unless-stopped',
    ...(s.checks?.compose ? { healthcheck: healthcheck(s.checks.compose, s.checks.startGraceMs) } : {}),
    logging: LOGGING,
    // tini as PID 1: it passes the stop signal on and reaps children.
    ...(isMongo ? {} : { init: true }),
    ...(s.memoryBytes !== null ? { mem_limit: dockerBytes(s.memoryBytes) } : {}),
    stop_grace_period: goDuration(s.stopTimeoutMs),
    stop_signal: 'SIGINT',
  };
}

function quoted(text: string): Scalar {
  const node = new Scalar(text);
  node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

function healthcheck({ check, timing: t }: Timed, startGraceMs: number): Record<string, unknown> {
  // Compose's healthcheck is what depends_on waits on: the whole check, as readiness.
  const test = check.type === 'exec' ? ['CMD', ...check.argv] : ['NONE'];
  return {
    test,
    interval: goDuration(t.intervalMs),
    timeout: goDuration(t.timeoutMs),
    retries: t.failureThreshold,
    start_period: goDuration(startGraceMs),
    // No start_interval: Engine 25 added it, and Debian 12's Compose 1.29 (Engine 20.10) refuses the
    // whole file for it. So the first check runs one interval after the start (docs/scale-out.md).
  };
}
