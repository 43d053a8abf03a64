import { readFile } from 'node:fs/promises';

// <root>/.env, read the way runtime/envexec.py reads it for the Python services:
// KEY=VALUE lines, `export ` allowed, one pair of matching quotes stripped,
// comments and blank lines skipped. The monitor reads it itself, at start, so
// the alert token never travels through pm2's environment (dump.pm2, pm2 show).

export type EnvValues = Readonly<Record<string, string>>;

export function parseDotenv(text: string): EnvValues {
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#') || !line.includes('=')) continue;
    if (line.startsWith('export ')) line = line.slice('export '.length);
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'")) value = value.slice(1, -1);
    values[key] = value;
  }
  return values;
}

/** The file's values, or {} when it does not exist (a missing .env is normal). Other errors are thrown. */
export async function readDotenv(path: string): Promise<EnvValues> {
  try {
    return parseDotenv(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}
