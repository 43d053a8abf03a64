import { describe, expect, it } from 'vitest';
import type { PlannedService } from '../../../src/init/types.js';
import { renderStack } from '../../../src/init/render.js';

// The stack text: values quoted so the file always parses, and comments that
// say what botstack will and will not do for each kind.

const service = (over: Partial<PlannedService>): PlannedService => ({
  name: 'a', kind: 'command', database: false, target: 'x', args: [], cwd: null, port: null, publicHost: null, dbpath: null, workers: null,
  reloadInDevelopment: false, env: {}, secrets: [], dependsOn: [], healthPath: null, notes: [], origin: 'start.sh line 3', ...over,
});
const render = (s: PlannedService): string => renderStack({ name: 'x', root: null, venv: null, secrets: [], services: [s] }, ['start.sh']);

describe('init: rendering the stack', () => {
  it('quotes, backslashes and line breaks in values are escaped', () => {
    const text = render(service({ target: "echo 'hi' \\ there", env: { MOTD: 'line1\nline2' } }));
    expect(text).toContain("command: 'echo \\'hi\\' \\\\ there',");
    expect(text).toContain("env: { MOTD: 'line1\\nline2' },");
  });

  it('a public bind: botstack rebinds its own kinds to loopback, but runs a command as written, and says so', () => {
    expect(render(service({ kind: 'uvicorn', target: 'a:app', port: 8000, publicHost: '0.0.0.0' }))).toContain('// the source bound 0.0.0.0; botstack binds 127.0.0.1.');
    const cmd = render(service({ target: 'gunicorn a:app --bind 0.0.0.0:9000', port: 9000, publicHost: '0.0.0.0' }));
    expect(cmd).toContain('// this command binds 0.0.0.0 (every interface); use 127.0.0.1 unless another machine must reach it.');
    expect(cmd).not.toContain('botstack binds 127.0.0.1');
  });

  it('the origin and every note become comments above the service; a guessed dependency says so', () => {
    const text = render(service({ kind: 'python', target: 'bot.py', notes: ['dropped --reload'], dependsOn: [{ name: 'api', guess: true }] }));
    expect(text).toContain("    // start.sh line 3\n    // dropped --reload\n    {\n      name: 'a',\n      kind: 'python',\n      script: 'bot.py',");
    expect(text).toContain("dependsOn: ['api'], // a guess from the start order (api started first); remove what a does not call");
  });
});
