import { z } from 'zod';
import { alertsInputSchema } from './schema-alerts.js';
import { everyToCron } from './cron.js';
import { duration, durationAtLeast, parseDuration, sizeOrOff } from './units.js';

// The one schema for a stack. Every object is strict: pm2 silently drops keys it
// does not know (a typo, a `kill_signal`), so we must refuse them first.

export const KINDS = ['mongod', 'uvicorn', 'python', 'node', 'command', 'monitor'] as const;
export type Kind = (typeof KINDS)[number];
export const PROFILES = ['production', 'development'] as const;
export type Profile = (typeof PROFILES)[number];

const name = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be lower-case letters, digits, "-" or "_", starting with a letter');
const port = z.number().int().min(1).max(65535);
const envKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name');

const timing = {
  interval: duration.optional(),
  timeout: duration.optional(),
  failureThreshold: z.number().int().min(1).max(100).optional(),
  startGrace: duration.optional(),
};

export const healthInputSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('http'),
      path: z.string().startsWith('/', 'must start with "/"'),
      expectStatus: z.number().int().min(100).max(599).optional(),
      expectBody: z.string().optional(),
      expectJson: z.object({ field: z.string().min(1), equals: z.unknown().optional() }).strict().optional(),
      ...timing,
    })
    .strict(),
  z.object({ type: z.literal('tcp'), ...timing }).strict(),
  z.object({ type: z.literal('mongo'), ...timing }).strict(),
  z.object({ type: z.literal('heartbeat'), file: z.string().min(1), maxAge: duration.optional(), ...timing }).strict(),
  z.object({ type: z.literal('none') }).strict(),
]);
export type HealthInput = z.input<typeof healthInputSchema>;

const limitsSchema = z
  .object({
    memory: sizeOrOff.optional(),
    maxRestarts: z.number().int().min(1).max(1000).optional(),
    // pm2 rejects min_uptime under 100 ms and then starts nothing from the file.
    minUptime: durationAtLeast(100, 'pm2 rejects a smaller min_uptime and starts nothing').optional(),
    // pm2 silently drops a 0 exp_backoff_restart_delay.
    restartBackoff: durationAtLeast(1, 'pm2 drops a 0 exp_backoff_restart_delay without a word').optional(),
  })
  .strict();

const common = {
  name,
  cwd: z.string().min(1).optional(),
  args: z.array(z.string()).optional(),
  host: z.string().min(1).optional(),
  port: port.optional(),
  env: z.record(envKey, z.string()).optional(),
  secrets: z.array(envKey).optional(),
  health: healthInputSchema.optional(),
  limits: limitsSchema.optional(),
  // pm2 silently drops kill_timeout: 0 and falls back to its 1.6 s default.
  stop: z.object({ timeout: durationAtLeast(1, 'pm2 drops kill_timeout: 0 and uses its 1.6 s default').optional() }).strict().optional(),
  dependsOn: z.array(z.string()).optional(),
  logs: z.object({ dir: z.string().min(1).optional() }).strict().optional(),
  // Accepted only so that `watch: true` gets a message that says why, rather than "unknown key".
  watch: z.boolean().optional(),
  // What `botstack deploy` restarts this service for, besides its own folder.
  deploy: z
    .object({ paths: z.array(z.string().min(1).regex(/^[^*?[\]]+$/, 'must be a file or folder relative to the root; globs are not supported')).min(1) })
    .strict()
    .optional(),
};

const pythonCommon = {
  venv: z.string().min(1).optional(),
  // Secrets redacted from the service's own stdout/stderr before pm2 writes them (runtime/python/sitecustomize.py).
  // Default: on when the service declares `secrets`.
  redactLogs: z.boolean().optional(),
};

export const serviceInputSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('mongod'), ...common, binary: z.string().min(1).optional(), dbpath: z.string().min(1).optional() })
    .strict(),
  z
    .object({
      kind: z.literal('uvicorn'),
      ...common,
      ...pythonCommon,
      app: z.string().regex(/^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/, 'must look like "package.module:attribute"'),
      workers: z.number().int().min(1).max(64).optional(),
      // Whether `--reload` is added in the development profile. Never in production.
      reloadInDevelopment: z.boolean().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('python'), ...common, ...pythonCommon, script: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('node'), ...common, script: z.string().min(1), nodeArgs: z.array(z.string()).optional() }).strict(),
  z.object({ kind: z.literal('command'), ...common, command: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('monitor'), ...common }).strict(),
]);
export type ServiceInput = z.input<typeof serviceInputSchema>;

export const stackInputSchema = z
  .object({
    name: name,
    root: z.string().min(1).optional(),
    venv: z.string().min(1).optional(),
    logDir: z.string().min(1).optional(),
    envFile: z.string().min(1).optional(),
    profile: z.enum(PROFILES).optional(),
    alerts: alertsInputSchema.optional(),
    // Scheduled `botstack deploy`: compiled to a cron-started pm2 job (src/stack/deploy-job.ts).
    deploy: z
      .object({
        every: z.string().superRefine((v, ctx) => {
          const ms = parseDuration(v);
          const r = ms === undefined ? { ok: false as const, message: `invalid duration ${JSON.stringify(v)}: expected a number with m or h, like "30m"` } : everyToCron(ms, v);
          if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
        }),
        ref: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    // Every stack gets the health monitor unless it says `monitor: false` (withMonitor).
    monitor: z.boolean().optional(),
    services: z.array(serviceInputSchema).min(1, 'a stack needs at least one service'),
  })
  .strict()
  .transform(withMonitor);
export type StackInput = z.input<typeof stackInputSchema>;

/**
 * Healing is the product: a stack without the monitor runs with no probes, no
 * heals and no alerts, and nothing says so. So the monitor is implicit: added
 * last, named `monitor` (or `botstack-monitor` when a service already has that
 * name), unless the stack declares one itself or says `monitor: false`.
 */
function withMonitor<T extends { monitor?: boolean | undefined; services: { name: string; kind: string }[] }>(stack: T): T {
  if (stack.monitor === false || stack.services.some((s) => s.kind === 'monitor')) return stack;
  const name = stack.services.some((s) => s.name === 'monitor') ? 'botstack-monitor' : 'monitor';
  return { ...stack, services: [...stack.services, { name, kind: 'monitor' as const }] };
}
export type ParsedStack = z.output<typeof stackInputSchema>;
export type ParsedService = z.output<typeof serviceInputSchema>;
