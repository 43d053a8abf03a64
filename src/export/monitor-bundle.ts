import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../util/package-root.js';
import { MONITOR_BUNDLE, MONITOR_DIR } from './monitor.js';
import type { ExportFile } from './types.js';

// The monitor's code for its image, as one ESM file bundled with esbuild from
// this botstack (dist/ when built, src/ under tsx). One file: the image needs
// no npm install and no registry. The mongo driver stays out: under Docker the
// monitor reads mongod's own healthcheck instead (src/monitor/docker/probes.ts).

export async function monitorBundle(): Promise<ExportFile> {
  const root = packageRoot();
  // The same tree this code runs from: dist/ when built, src/ under tsx or vitest (never a stale dist/).
  const fromDist = fileURLToPath(import.meta.url).includes(`${sep}dist${sep}`);
  const built = join(root, 'dist', 'src', 'monitor', 'docker', 'main.js');
  const entry = fromDist && existsSync(built) ? built : join(root, 'src', 'monitor', 'docker', 'main.ts');
  const esbuild = await import('esbuild');
  const out = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', external: ['mongodb'], logLevel: 'silent', legalComments: 'none' });
  const text = out.outputFiles[0]?.text ?? '';
  return { path: `${MONITOR_DIR}/${MONITOR_BUNDLE}`, content: `// botstack's monitor (Docker driver), bundled by botstack export from ${entry.slice(root.length + 1)}.\n${text}` };
}
