import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's python, which sees python3-uvicorn and python3-fastapi. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * A real venv that sees Debian's uvicorn/FastAPI, with the `bin/uvicorn` console
 * script pip would have written (a --system-site-packages venv has none).
 */
export function makeVenv(dir: string): string {
  if (!existsSync(join(dir, 'bin', 'python'))) {
    execFileSync(SYSTEM_PYTHON, ['-m', 'venv', '--system-site-packages', '--without-pip', dir], { stdio: 'pipe' });
  }
  const script = join(dir, 'bin', 'uvicorn');
  writeFileSync(script, `#!${join(dir, 'bin', 'python')}\nimport sys\nfrom uvicorn.main import main\nif __name__ == "__main__":\n    sys.exit(main())\n`);
  chmodSync(script, 0o755);
  return dir;
}
