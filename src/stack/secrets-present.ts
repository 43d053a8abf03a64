import { readFileSync } from 'node:fs';
import type { EnvLookup } from './resolve.js';
import type { Problem, Stack } from './types.js';

// A declared secret that neither the environment nor <root>/.env holds would
// start the service without it: a bot that crashes on its first API call, or
// runs logged out. start refuses first, naming the key and the file to put it
// in; values are never read into messages.

/** The keys an env file sets to a non-empty value (the same lines envexec.py reads). */
export function envFileKeys(path: string): Set<string> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const keys = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^export\s+/, '');
    const eq = line.indexOf('=');
    if (line.startsWith('#') || eq <= 0) continue;
    const value = line.slice(eq + 1).trim().replace(/^(['"])(.*)\1$/, '$2');
    if (value !== '') keys.add(line.slice(0, eq).trim());
  }
  return keys;
}

export function missingSecrets(stack: Stack, env: EnvLookup): Problem[] {
  const declared = stack.services.filter((s) => s.secrets.length > 0);
  if (declared.length === 0) return [];
  const inFile = envFileKeys(stack.envFile);
  return declared.flatMap((s) =>
    s.secrets.flatMap((key, i) => {
      if ((env[key] ?? '') !== '' || inFile?.has(key)) return [];
      const where = inFile === null ? `${stack.envFile} does not exist` : `not in ${stack.envFile}`;
      return [{ file: stack.file, path: `services.${s.index}.secrets.${i}`, service: s.name, message: `secret ${key} is not set: not in the environment, and ${where}`, fix: `add ${key}=… to ${stack.envFile} (chmod 600), or export it before botstack start; remove it from ${s.name}.secrets if ${s.name} does not read it` }];
    }),
  );
}
