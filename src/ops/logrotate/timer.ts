import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../startup/run.js';

// Size needs a clock: Debian and Ubuntu run logrotate once a day
// (logrotate.timer), so `maxsize` alone would act once a day at most. An
// hourly systemd timer runs logrotate on botstack's file only, with the
// system's state file (logrotate locks it, so it never races the daily run).

export interface TimerUnits {
  readonly name: string;
  readonly serviceFile: string;
  readonly timerFile: string;
  readonly service: string;
  readonly timer: string;
}

export function timerUnits(stack: string, logrotateFile: string, logrotateBin: string, unitDir = '/etc/systemd/system'): TimerUnits {
  const name = `botstack-logrotate-${stack}`;
  return {
    name,
    serviceFile: join(unitDir, `${name}.service`),
    timerFile: join(unitDir, `${name}.timer`),
    service: `[Unit]\nDescription=botstack: rotate the logs of stack ${stack} that outgrew their size (written by botstack startup)\nDocumentation=file://${logrotateFile}\n\n[Service]\nType=oneshot\nExecStart=${logrotateBin} ${logrotateFile}\n`,
    timer: `[Unit]\nDescription=botstack: hourly log size check of stack ${stack}\n\n[Timer]\nOnCalendar=hourly\nRandomizedDelaySec=120\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n`,
  };
}

/** Writes both units and enables the timer; without a running systemd, says so and how to enable it later. */
export async function installTimer(u: TimerUnits, run: Runner, env: NodeJS.ProcessEnv): Promise<string> {
  const same = (f: string, text: string) => existsSync(f) && readFileSync(f, 'utf8') === text;
  const changed = !same(u.serviceFile, u.service) || !same(u.timerFile, u.timer);
  if (changed) {
    writeFileSync(u.serviceFile, u.service, { mode: 0o644 });
    writeFileSync(u.timerFile, u.timer, { mode: 0o644 });
  }
  const reload = changed ? await run('systemctl', ['daemon-reload'], { env, timeoutMs: 30_000 }).catch(() => ({ exitCode: 1 })) : { exitCode: 0 };
  const enable = await run('systemctl', ['enable', '--now', `${u.name}.timer`], { env, timeoutMs: 30_000 }).catch(() => ({ exitCode: 1 }));
  if (reload.exitCode === 0 && enable.exitCode === 0) return `ok    ${u.timerFile} ${changed ? 'written and ' : ''}enabled: sizes checked hourly`;
  return `warn  ${u.timerFile} ${changed ? 'written' : 'in place'}, but systemctl could not enable it (no running systemd?); sizes are checked only at the daily logrotate run until: systemctl enable --now ${u.name}.timer`;
}

/** `startup --remove`: the timer off and both units gone, then the logrotate file. Lines for the operator. */
export async function removeRotation(u: TimerUnits, logrotateFile: string, run: Runner, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { rmSync } = await import('node:fs');
  const lines: string[] = [];
  if (existsSync(u.timerFile)) await run('systemctl', ['disable', '--now', `${u.name}.timer`], { env, timeoutMs: 30_000 }).catch(() => undefined);
  for (const f of [u.timerFile, u.serviceFile, logrotateFile]) {
    if (!existsSync(f)) continue;
    try {
      rmSync(f);
      lines.push(`ok    removed ${f}`);
    } catch (err) {
      lines.push(`fail  cannot remove ${f}: ${err instanceof Error ? err.message : String(err)}; remove it as root`);
    }
  }
  return lines;
}
