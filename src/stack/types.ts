import type { Kind, Profile } from './schema.js';
import type { AlertFileSettings } from './alert-settings.js';

// The resolved stack: every default applied, every path absolute, every
// duration in ms. Input types live in schema.ts; these are what code reads.

export interface Timing {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly failureThreshold: number;
  readonly startGraceMs: number;
}

export type Health =
  | ({ readonly type: 'http'; readonly path: string; readonly expectStatus: number; readonly expectBody?: string; readonly expectJson?: { readonly field: string; readonly equals?: unknown } } & Timing)
  | ({ readonly type: 'tcp' } & Timing)
  | ({ readonly type: 'mongo' } & Timing)
  | ({ readonly type: 'heartbeat'; readonly file: string; readonly maxAgeMs: number } & Timing)
  | { readonly type: 'none' };

/** How pm2 launches the service: interpreter ('none' = exec directly), script, args. */
export interface Launch {
  readonly interpreter: string;
  readonly script: string;
  readonly args: readonly string[];
  readonly nodeArgs?: readonly string[];
}

export interface Service {
  readonly name: string;
  readonly kind: Kind;
  readonly cwd: string;
  readonly host: string;
  readonly port: number | null;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly health: Health;
  /** Memory limit for the whole process tree, or null for none (databases). */
  readonly memoryBytes: number | null;
  readonly maxRestarts: number;
  readonly minUptimeMs: number;
  readonly restartBackoffMs: number;
  readonly stopTimeoutMs: number;
  readonly dependsOn: readonly string[];
  readonly outFile: string;
  readonly errFile: string;
  readonly watch: boolean;
  /** True only for uvicorn in the development profile with reloadInDevelopment. */
  readonly reload: boolean;
  readonly launch: Launch;
  /** The venv of a Python service, or null. */
  readonly venv: string | null;
  /** A Python service's `redactLogs` as written; absent: on when it declares secrets (compile.ts redactsLogs). */
  readonly redactLogs?: boolean;
  /** Index in the stack file's `services` array, for messages. */
  readonly index: number;
  /** Extra paths (relative to the root) `botstack deploy` restarts this service for. */
  readonly deployPaths?: readonly string[];
}

/** A scheduled `botstack deploy`: every `everyMs`, as the cron expression pm2 runs. */
export interface DeploySchedule {
  readonly every: string;
  readonly cron: string;
  readonly ref: string | null;
}

export interface Stack {
  readonly name: string;
  /** Absolute path of the stack file, or '<inline>'. */
  readonly file: string;
  readonly root: string;
  readonly venv: string;
  readonly logDir: string;
  readonly envFile: string;
  readonly profile: Profile;
  readonly services: readonly Service[];
  /** Non-secret alert settings from the stack file; the environment and .env win (src/alerts/config.ts; the shape is in alert-settings.ts). */
  readonly alerts?: AlertFileSettings;
  readonly deploy?: DeploySchedule;
}

/** A problem with a stack file: data, with a dot-path to the offending value. */
export interface Problem {
  readonly file: string;
  readonly path: string;
  readonly service?: string;
  readonly message: string;
  readonly fix?: string;
}

export type LoadResult = { readonly ok: true; readonly stack: Stack } | { readonly ok: false; readonly problems: readonly Problem[] };
