import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFile } from '../../../src/rules/check-file.js';
import { dbDataInTmp } from '../../../src/rules/checks/data-dir.js';
import { unresolvedPath } from '../../../src/rules/checks/unresolved.js';
import { app, ctx, mongod } from './given.js';

// The hazards of issue 15, each on a file shaped like the incident's project, with its control.

const dir = mkdtempSync(join(tmpdir(), 'bs-hazards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(rel: string, text: string): string {
  const p = join(dir, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

async function rules(rel: string, text: string): Promise<string[]> {
  const r = await checkFile(put(rel, text), rel, {});
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.findings.map((f) => `${f.line}:${f.rule}`);
}

async function find(rel: string, text: string, rule: string) {
  const r = await checkFile(put(rel, text), rel, {});
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.findings.filter((f) => f.rule === rule);
}

describe('db-data-in-tmp', () => {
  it('mongod --dbpath /tmp/mongo_data in a start script: an error with the move written step by step', async () => {
    const [f] = await find('a/start.sh', '#!/bin/bash\nmongod --dbpath /tmp/mongo_data --bind_ip 127.0.0.1 --fork --logpath /var/log/m.log\n', 'db-data-in-tmp');
    expect(f?.severity).toBe('error');
    expect(f?.line).toBe(2);
    expect(f?.message).toContain('/tmp/mongo_data');
    expect(f?.fix).toMatch(/1\. stop .*2\. move the files: .*cp -a \/tmp\/mongo_data\/\. \/var\/lib\/mongodb\/.*3\. change --dbpath .*4\. start it and check/);
  });
  it('control: --dbpath /var/lib/mongodb, /data/db and a relative path are fine', async () => {
    expect(await find('a/ok.sh', '#!/bin/bash\nmongod --dbpath /var/lib/mongodb --fork --logpath /var/log/m.log\n', 'db-data-in-tmp')).toEqual([]);
    expect(dbDataInTmp(mongod({ argv: ['mongod', '--dbpath', 'data/db'] }), ctx([]))).toEqual([]);
  });
  it('--dbpath=/dev/shm/x, PGDATA=/tmp/pg, and -D only for a database', () => {
    expect(dbDataInTmp(mongod({ argv: ['mongod', '--dbpath=/dev/shm/m'] }), ctx([]))).toHaveLength(1);
    expect(dbDataInTmp(app({ name: 'pg', database: 'postgres', argv: ['postgres'], env: { PGDATA: '/tmp/pg' } }), ctx([]))).toHaveLength(1);
    expect(dbDataInTmp(app({ argv: ['python', 'x.py', '-D', '/tmp/x'] }), ctx([]))).toEqual([]);
  });
  it('control: a service that itself runs from the same scratch folder (a test project in /tmp/x) keeps code and data together', () => {
    expect(dbDataInTmp(mongod({ cwd: '/tmp/proj', argv: ['mongod', '--dbpath', '/tmp/proj/data/db'] }), ctx([]))).toEqual([]);
    expect(dbDataInTmp(mongod({ cwd: '/tmp/proj', argv: ['mongod', '--dbpath', '/tmp/mongo_data'] }), ctx([]))).toHaveLength(1);
  });
  it('a compose volume /tmp/mongo:/data/db; control: a named volume', async () => {
    const y = (v: string) => `services:\n  mongo:\n    image: mongo:7\n    volumes:\n      - ${v}\n`;
    expect(await rules('c/docker-compose.yml', y('/tmp/mongo:/data/db'))).toContain('2:db-data-in-tmp');
    expect(await rules('c/docker-compose.yml', y('mongo-data:/data/db'))).not.toContain('2:db-data-in-tmp');
  });
  it('a pm2 file and a systemd unit', async () => {
    expect(await rules('p/ecosystem.config.js', "module.exports = { apps: [{ name: 'mongo', script: 'mongod', args: '--dbpath /tmp/db --bind_ip 127.0.0.1', kill_timeout: 60000, max_memory_restart: '1G' }] }\n")).toContain('1:db-data-in-tmp');
    expect(await rules('u/mongod.service', '[Service]\nExecStart=/usr/bin/mongod --dbpath /tmp/mongo --bind_ip 127.0.0.1\nTimeoutStopSec=60\nMemoryMax=1G\n')).toContain('2:db-data-in-tmp');
  });
});

describe('unresolved-path', () => {
  it("the issue's venv: '$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)/venv' names the service and the field", () => {
    const [f] = unresolvedPath(app({ format: 'botstack', interpreter: '/srv/$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/venv/bin/python' }), ctx([]));
    expect(f?.severity).toBe('error');
    expect(f?.message).toContain('api.venv');
  });
  it('control: literal paths; and a shell app, whose shell expands $VAR itself', () => {
    expect(unresolvedPath(app({ format: 'botstack' }), ctx([]))).toEqual([]);
    expect(unresolvedPath(app({ format: 'shell', cwd: '$APP_HOME' }), ctx([]))).toEqual([]);
    expect(unresolvedPath(app({ cwd: '$HOME/app' }), ctx([]))[0]?.message).toContain('api.cwd');
    expect(unresolvedPath(app({ cwd: '/opt/{{ project }}/api' }), ctx([]))[0]?.message).toContain('api.cwd');
  });
});

describe('pip-install-on-start', () => {
  it('pip install -r in a start script that starts services, at the line of the pip, even inside a function', async () => {
    const s = '#!/bin/bash\nstart() {\n  ./venv/bin/pip install -r requirements.txt -q\n  nohup ./venv/bin/python bot.py > bot.log 2>&1 &\n}\nstart "$@"\n';
    expect(await rules('b/start.sh', s)).toContain('3:pip-install-on-start');
  });
  it('control: a setup script that installs and starts nothing; pip install of one package', async () => {
    expect(await rules('b/setup.sh', '#!/bin/bash\npython3 -m venv venv\nvenv/bin/pip install -r requirements.txt\n')).toEqual([]);
    expect(await rules('b/start2.sh', '#!/bin/bash\npip install uvloop\nexec uvicorn app:app --port 8000\n')).not.toContain('2:pip-install-on-start');
  });
  it('control: an install only when something is missing (`if ! python3 -c "import ccxt"`, `if [ ! -d venv ]`) changes nothing on a working host', async () => {
    const s = (cond: string) => `#!/bin/bash\nif ${cond}; then\n    pip3 install -r requirements.txt\nfi\nexec python3 bot.py\n`;
    expect(await rules('b/s3.sh', s('! python3 -c "import ccxt" 2>/dev/null'))).not.toContain('3:pip-install-on-start');
    expect(await rules('b/s4.sh', s('[ ! -d venv ]'))).not.toContain('3:pip-install-on-start');
    expect(await rules('b/s5.sh', s('[ -f requirements.txt ]'))).toContain('3:pip-install-on-start');
  });
  it('ExecStartPre in a unit and a compose command; control: a Dockerfile RUN', async () => {
    expect(await rules('u/bot.service', '[Service]\nExecStartPre=/srv/bot/venv/bin/pip install -r /srv/bot/requirements.txt\nExecStart=/srv/bot/venv/bin/python bot.py\n')).toContain('2:pip-install-on-start');
    expect(await rules('d/docker-compose.yml', 'services:\n  bot:\n    image: python:3.12\n    command: sh -c "pip install -r requirements.txt && python bot.py"\n')).toContain('4:pip-install-on-start');
    expect(await rules('d/Dockerfile', 'FROM python:3.12\nRUN pip install -r requirements.txt\nCMD ["python", "bot.py"]\n')).not.toContain('2:pip-install-on-start');
  });
});

describe('auto-pull in its real forms', () => {
  const deploy = '#!/bin/bash\nset -e\nmain() {\n  cd /opt/app\n  git fetch origin\n  git reset --hard origin/main\n  ./start_all_services.sh restart\n}\nmain "$@"\n';
  it('a setup script that installs */5 deploy-vps.sh into crontab: the install line, with what the deploy runs', async () => {
    put('v/deploy-vps.sh', deploy);
    const [f] = await find('v/setup-vps.sh', '#!/bin/bash\nDIR=/opt/app\n(crontab -l 2>/dev/null; echo "*/5 * * * * $DIR/deploy-vps.sh >> /var/log/deploy.log 2>&1") | crontab -\n', 'auto-pull');
    expect(f?.line).toBe(3);
    expect(f?.message).toContain('git reset --hard origin/main');
    expect(f?.message).toContain('*/5 * * * *');
    expect(f?.fix).toContain('botstack deploy');
  });
  it('>> /etc/crontab and a heredoc into /etc/cron.d/x', async () => {
    expect(await rules('v/s2.sh', '#!/bin/bash\necho "0 * * * * root /opt/app/deploy-vps.sh" >> /etc/crontab\n')).toContain('2:auto-pull');
    expect(await rules('v/s3.sh', '#!/bin/bash\ncat > /etc/cron.d/app <<EOF\n*/10 * * * * root cd /opt/app && git pull\nEOF\n')).toContain('2:auto-pull');
  });
  it('a crontab entry whose command says it deploys or pulls (artisan deploy:projects, ./git.sh /data pull)', async () => {
    expect(await rules('v/s5.sh', '#!/bin/bash\n(crontab -l 2>/dev/null; echo "* * * * * php /srv/agent/artisan deploy:projects > /dev/null 2>&1") | crontab -\n')).toContain('2:auto-pull');
    expect(await rules('v/s6.sh', '#!/bin/bash\n(crontab -l; echo "5-55/10 * * * * cd /data/scripts/linux && ./git.sh /data pull &>/tmp/git.log") | crontab -\n')).toContain('2:auto-pull');
  });
  it('control: a crontab line for backups or @reboot start is no deploy', async () => {
    put('v/backup.sh', '#!/bin/bash\nmongodump --out /backups\n');
    expect(await rules('v/s4.sh', '#!/bin/bash\n(crontab -l; echo "0 3 * * * /opt/app/backup.sh") | crontab -\n')).toEqual([]);
  });
  it('a unit that runs the deploy script; a webhook receiver unit; control: a unit running the bot', async () => {
    expect(await rules('v/deploy.service', '[Service]\nType=oneshot\nExecStart=/opt/app/deploy-vps.sh\n')).toContain('3:auto-pull');
    put('v/webhook_receiver.py', 'import subprocess\ndef on_push():\n    subprocess.run(["/opt/app/deploy-vps.sh"])\n');
    expect(await rules('v/webhook-receiver.service', '[Service]\nExecStart=/usr/bin/python3 /opt/app/webhook_receiver.py\nRestart=always\n')).toContain('2:auto-pull');
    // Control: a Telegram bot in webhook mode is no deploy.
    put('w/bot_webhook.py', 'from aiogram import Bot\nasync def on_update(u): ...\n');
    expect(await rules('w/bot-webhook.service', '[Service]\nExecStart=/usr/bin/python3 /opt/bot/bot_webhook.py\nRestart=always\n')).not.toContain('2:auto-pull');
    put('v/bot.py', 'print(1)\n');
    expect((await rules('v/bot.service', '[Service]\nExecStart=/opt/app/venv/bin/python /opt/app/bot.py\n')).filter((r) => r.endsWith('auto-pull'))).toEqual([]);
  });
  it('a pm2 app that is a webhook receiver running git pull (webhook-to-pull)', async () => {
    put('h/src/handle-hook-request.js', "const r = spawn(GIT, 'pull', { cwd });\n");
    put('h/src/bin', '#!/usr/bin/env node\nrequire("./handle-hook-request.js");\n');
    expect(await find('h/ecosystem.yml', 'apps:\n  - script: ./src/bin\n    name: webhook-to-pull\n', 'auto-pull')).toHaveLength(1);
  });
  it('the pull inside a function is reported on its own line, not at `main "$@"`', async () => {
    const [f] = await find('v/deploy-vps.sh', deploy, 'auto-pull');
    expect(f?.line).toBe(6);
  });
  it('a crontab file line running the deploy script', async () => {
    expect(await rules('v/crontab', '*/5 * * * * /opt/app/deploy-vps.sh >> /var/log/d.log 2>&1\n')).toContain('1:auto-pull');
  });
});

describe('service-dotenv-override', () => {
  it("api_v2/.env loaded with override=True by api_v2's code; control: override=False, and botstack's own root .env", async () => {
    put('e/api_v2/app.py', 'import os\nfrom dotenv import load_dotenv\nload_dotenv(os.path.join(os.path.dirname(__file__), ".env"), override=True)\n');
    put('e/api_v2/.env', 'X=1\n');
    const s = '#!/bin/bash\ncd /x\nnohup ./venv/bin/python -m uvicorn api_v2.app:app --port 8002 > api.log 2>&1 &\n';
    const [f] = await find('e/start.sh', s, 'service-dotenv-override');
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('api_v2/.env');
    expect(f?.message).toContain('api_v2/app.py line 3');
    put('e2/api_v2/app.py', 'from dotenv import load_dotenv\nload_dotenv()\n');
    put('e2/api_v2/.env', 'X=1\n');
    expect(await find('e2/start.sh', s, 'service-dotenv-override')).toEqual([]);
  });
});
