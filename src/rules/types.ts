// The model every production rule reads. Three very different inputs (a typed
// botstack stack, a plain pm2 ecosystem file, a bash start script) are
// normalised into the same "app" shape first, so each rule is written once.

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number | null;
  readonly service: string | null;
  readonly message: string;
  readonly fix: string;
  /** The field under `services.<i>` a botstack problem points at (not printed by check). */
  readonly field?: string;
}

/** Where the app came from; rules word their fix for the format the operator edits. */
export type SourceFormat = 'botstack' | 'pm2' | 'shell';

/**
 * Where a start command was found, beyond `format` (which picks the fix's wording
 * family): a systemd unit, a crontab line, a Procfile, a Dockerfile, a compose
 * service, a supervisord program, or a `pm2 start` call inside a shell script.
 */
export type Origin = 'systemd' | 'cron' | 'procfile' | 'dockerfile' | 'compose' | 'supervisor' | 'pm2-cli';

export type DatabaseKind = 'mongod' | 'postgres' | 'redis' | 'mysql';

/** How pm2 restarts an app. null on an app nothing restarts (a shell `&` line). */
export interface RestartPolicy {
  readonly autorestart: boolean;
  readonly maxRestarts: number;
  readonly minUptimeMs: number;
  /** exp_backoff_restart_delay, or null when absent/0 (pm2 drops a 0). */
  readonly backoffMs: number | null;
  /** restart_delay, or null when absent/0. */
  readonly delayMs: number | null;
}

export interface AppLogs {
  /** Where stdout goes: a path, '/dev/null', or null when nothing captures it. */
  readonly out: string | null;
  readonly err: string | null;
}

export interface App {
  readonly name: string;
  readonly format: SourceFormat;
  /** How the app is referred to in messages: "services.1", "apps[1]", "line 12". */
  readonly ref: string;
  /** The botstack services[] index, so validate.ts can build dot-paths. */
  readonly index: number | null;
  /** The full command line: interpreter (if any), script, args; node/interpreter args too. */
  readonly argv: readonly string[];
  readonly interpreter: string | null;
  readonly cwd: string | null;
  readonly env: Readonly<Record<string, string>>;
  readonly watch: boolean;
  readonly memoryBytes: number | null;
  readonly restart: RestartPolicy | null;
  /** Grace between the stop signal and SIGKILL; null where nothing stops it (shell). */
  readonly killTimeoutMs: number | null;
  readonly host: string | null;
  readonly port: number | null;
  readonly database: DatabaseKind | null;
  readonly isPython: boolean;
  /** A venv (or activated virtualenv) runs it; false = a system interpreter. */
  readonly inVenv: boolean;
  /** The file or folders around the app point at a venv, so a system python is a slip. */
  readonly venvExpected: boolean;
  /** True when output is already unbuffered (-u, PYTHONUNBUFFERED, pm2's python interpreter). */
  readonly unbuffered: boolean;
  readonly logs: AppLogs;
  readonly line: number | null;
  /** Set for apps read from systemd, cron, Procfile, Docker or a `pm2 start` line; absent = `format` says it all. */
  readonly origin?: Origin;
  /**
   * The if/elif/else or case branches the app was started in: group id -> branch
   * index. Two apps that took different branches of one group never run together
   * (see `exclusive`), so they are not duplicates of each other.
   */
  readonly choices?: Readonly<Record<string, number>>;
  /** The script pm2 runs after its own normalisation (pm2 apps only; `bash` for a script with spaces). */
  readonly script?: string;
  /** The venv a shell script activated for it (`source <dir>/bin/activate`), as the walk resolved it. */
  readonly venvDir?: string;
  /** Host folders a container keeps data in (compose bind volumes: source -> target), for db-data-in-tmp. */
  readonly volumes?: readonly { readonly source: string; readonly target: string }[];
  /** Env keys the file set from an unset variable (`KEY: process.env.KEY`): pm2 drops them (pm2 apps only). */
  readonly unsetEnv?: readonly string[];
}

/** Whether two apps sit in different branches of one if/case, so only one of them ever runs. */
export function exclusive(a: Pick<App, 'choices'>, b: Pick<App, 'choices'>): boolean {
  if (!a.choices || !b.choices) return false;
  return Object.entries(a.choices).some(([group, branch]) => b.choices?.[group] !== undefined && b.choices[group] !== branch);
}

/** A `git pull` (or fetch + reset) that runs on the serving host by itself. */
export interface Pull {
  readonly line: number;
  /** The command as written, for the message. */
  readonly command: string;
  /** What runs it: a start script, a cron schedule, a systemd unit. */
  readonly via: 'script' | 'cron' | 'systemd';
}

export type Profile = 'production' | 'development';

export interface RuleContext {
  /** The file as shown in findings (relative to the cwd when inside it). */
  readonly file: string;
  readonly profile: Profile;
  readonly apps: readonly App[];
  /** Unattended git pulls in the file (auto-pull); absent where the format has none. */
  readonly pulls?: readonly Pull[];
}

export type Rule = (app: App, ctx: RuleContext) => Finding[];

/** A finding for one app, filling file/line/service from it. */
export function finding(ctx: RuleContext, app: App, f: Omit<Finding, 'file' | 'line' | 'service'> & { line?: number | null }): Finding {
  return { ...f, file: ctx.file, line: f.line ?? app.line, service: app.name };
}
