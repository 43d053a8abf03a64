import { readFileSync } from 'node:fs';

// Durations, deadlines, grace periods and schedules run on the monotonic clock;
// the wall clock is for display only. A VPS steps its wall clock at boot (NTP,
// a hypervisor resync), and a wall-clock deadline then ends an hour early or
// an hour late.
//
// `monoNow()` is CLOCK_MONOTONIC in milliseconds (libuv's hrtime): on Linux it
// counts from boot and is the same clock in every process, so a time recorded
// by one process (the monitor's restart history) still means something to the
// next one started on the same boot.

//
// performance.now() reads the same clock from this process's start, without
// a BigInt per call (the monitor asks many times a tick): one offset, taken
// once, makes it the boot-relative time, to the microsecond.
const OFFSET_MS = Number(process.hrtime.bigint() / 1000n) / 1000 - performance.now();
export const monoNow = (): number => Math.round((OFFSET_MS + performance.now()) * 1000) / 1000;

/** The wall-clock time (ms epoch) at which the monotonic time `mono` was, for display. */
export const wallOf = (mono: number, nowMono = monoNow(), nowWall = Date.now()): number => nowWall - (nowMono - mono);

let bootId: string | null | undefined;

/** This boot's id (Linux), so times saved on the monotonic clock are never compared across a reboot. */
export function currentBootId(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** Kernel clock ticks a second, for /proc/<pid>/stat's start time (USER_HZ is 100 on every Linux port in use). */
const USER_HZ = 100;

/**
 * When process `pid` started, on the monotonic clock, from /proc/<pid>/stat
 * (ticks since boot): pm2's `pm_uptime` is the daemon's wall clock, which may
 * have stepped since, or differ from ours. null when /proc cannot tell.
 */
export function processStartMono(pid: number): number | null {
  if (!(pid > 0)) return null;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : null;
}
