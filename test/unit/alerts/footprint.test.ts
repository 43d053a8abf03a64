import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graph } from '../../helpers/import-graph.js';
import { REPO } from '../../helpers/project.js';

// Alerts live inside the monitor, so they follow its footprint rule: node
// built-ins only, and with alerts off only the settings reader is loaded.

describe("alerts in the monitor's footprint", () => {
  it('the monitor loads no alert code statically', () => {
    expect(graph(join(REPO, 'src/monitor/main.ts')).files.filter((f) => f.startsWith('src/alerts/'))).toEqual([]);
  });

  it('alerts off: the settings reader alone, with fs and os, no http, https or crypto', () => {
    const g = graph(join(REPO, 'src/alerts/monitor-entry.ts'));
    expect(g.files.sort()).toEqual(['src/alerts/config.ts', 'src/alerts/load.ts', 'src/alerts/monitor-entry.ts', 'src/stack/alert-settings.ts', 'src/util/dotenv.ts']);
    expect([...g.packages].sort()).toEqual(['node:fs', 'node:os']);
  });

  it('alerts on: node built-ins only, nothing from the stack loader', () => {
    const g = graph(join(REPO, 'src/alerts/watch.ts'));
    expect([...g.packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect([...g.packages]).toEqual(expect.arrayContaining(['node:http', 'node:https', 'node:crypto']));
    expect(g.files.filter((f) => !f.startsWith('src/alerts/')).sort()).toEqual(['src/stack/alert-settings.ts', 'src/util/format.ts', 'src/util/mono.ts', 'src/util/redact.ts']);
  });
});
