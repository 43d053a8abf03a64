import type { HealthState } from '../../monitor/report.js';

// `botstack status --json`, as issue #4 specifies it. Shared by status, soak and doctor.

export type StackState = 'healthy' | 'degraded' | 'down';

export interface ServiceStatus {
  readonly name: string;
  /** pm2's status, or 'absent' when pm2 does not know the service. */
  readonly status: string;
  readonly pid: number;
  readonly uptimeMs: number;
  readonly restarts: number;
  readonly restartsLastHour: number | null;
  /** RSS of the whole process tree. */
  readonly memoryBytes: number;
  readonly cpu: number;
  readonly health: HealthState;
  readonly latencyMs: number | null;
  readonly watch: boolean;
  readonly lastError?: string | null;
  /** Healthy only as far as pm2 can tell, and why (a heartbeat the service never set up). */
  readonly note?: string | null;
}

export interface StatusReport {
  readonly stack: StackState;
  readonly profile: 'production' | 'development';
  readonly services: readonly ServiceStatus[];
  readonly host: { readonly memFreeBytes: number; readonly memTotalBytes: number; readonly logDir: string; readonly diskFreeBytes: number | null };
  /** Where health came from: the running monitor's report, or probes run by the CLI itself. */
  readonly healthSource: 'monitor' | 'cli-probe' | 'none';
}
