// What walking a script records (run.ts): each command that would start a
// program, and each `git pull` that changes the code under it.

export interface LoopInfo {
  readonly line: number;
  /** The `sleep` between two runs, or null when the loop restarts at once. */
  readonly sleepMs: number | null;
}

export interface Launch {
  readonly line: number;
  readonly index: number;
  readonly argv: readonly string[];
  /** argv[0] as it would be with the branch values that point at a venv. */
  readonly venvArgv0: string;
  readonly env: Readonly<Record<string, string>>;
  readonly background: boolean;
  readonly nohup: boolean;
  readonly exec: boolean;
  readonly detached: boolean;
  readonly venv: boolean;
  /** The activated venv's folder (`source <dir>/bin/activate`), when the script activates one. */
  readonly venvDir?: string;
  readonly cwd: string | null;
  readonly memoryBytes: number | null;
  readonly out: string | null;
  readonly err: string | null;
  readonly choices: Readonly<Record<string, number>>;
  readonly loop: LoopInfo | null;
  /** In a screen/tmux window: stdout is a terminal. */
  readonly tty: boolean;
  /** Started in a `dev)`/`local)`/`debug)` arm of a case: meant for development. */
  readonly dev: boolean;
  /** The line of the command itself (inside a function body, `line` is the call's). */
  readonly ownLine: number;
  /** `pm2 start ...`: the words after `start`. */
  readonly pm2?: readonly string[];
}

export interface PullCommand {
  readonly line: number;
  readonly command: string;
}

export interface RunResult {
  readonly launches: readonly Launch[];
  readonly pulls: readonly PullCommand[];
}
