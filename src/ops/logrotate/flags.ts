import { CliError, EXIT } from '../../util/io.js';
import { parseSize } from '../../stack/units.js';
import { DEFAULT_ROTATION, type RotationSettings } from './plan.js';

// `botstack startup --log-max-size 100M --log-keep 30 --log-max-age 30`.

export interface RotationFlags {
  readonly logMaxSize?: string;
  readonly logKeep?: string;
  readonly logMaxAge?: string;
}

function count(flag: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > max) throw new CliError(`--${flag} ${JSON.stringify(text)}: expected a whole number from 1 to ${max}`, EXIT.USAGE);
  return n;
}

export function rotationSettings(f: RotationFlags): RotationSettings {
  let maxSizeBytes = DEFAULT_ROTATION.maxSizeBytes;
  if (f.logMaxSize !== undefined) {
    const b = parseSize(f.logMaxSize);
    if (b === undefined || b < 1024 * 1024) throw new CliError(`--log-max-size ${JSON.stringify(f.logMaxSize)}: expected a size of at least 1M, like 50M or 1G`, EXIT.USAGE);
    maxSizeBytes = b;
  }
  return { ...DEFAULT_ROTATION, maxSizeBytes, keep: count('log-keep', f.logKeep, DEFAULT_ROTATION.keep, 1000), maxAgeDays: count('log-max-age', f.logMaxAge, DEFAULT_ROTATION.maxAgeDays, 3650) };
}
