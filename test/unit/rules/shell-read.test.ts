import { describe, expect, it } from 'vitest';
import { readShell } from '../../../src/rules/model/from-shell.js';
import { shellLine } from '../../../src/rules/model/shell/line.js';
import { unwrap } from '../../../src/rules/model/shell/launch.js';
import { parseShell } from '../../../src/rules/model/shell/syntax.js';
import { exclusive } from '../../../src/rules/types.js';

// Reading start scripts as bash runs them: one feature a test, each with the
// case that must NOT produce a service (or must not change) next to it.

const apps = (text: string) => readShell(text).apps;
const names = (text: string) => apps(text).map((a) => `${a.line}:${a.name}`);

describe('foreground, exec and the last command', () => {
  it('the last foreground command of an entrypoint is the service', () => {
    expect(names('#!/bin/sh\nset -e\npython migrate.py\nuvicorn main:app --reload')).toEqual(['4:main:app']);
    expect(names('python init_db.py\npython bot.py\necho "bot exited"')).toEqual(['2:bot.py']);
  });
  it('a foreground script followed by real work is a one-off step', () => {
    expect(names('python init_db.py\nnohup python bot.py > b.log 2>&1 &')).toEqual(['2:bot.py']);
  });
  it('nothing after `exec <program>` or `exit` runs; an exec or exit that may not run ends nothing', () => {
    expect(names('alembic upgrade head\nexec "$@"\nuvicorn src.app:app --reload')).toEqual([]);
    expect(names('exec gunicorn a:app\nuvicorn b:app --reload')).toEqual(['1:a:app']);
    expect(names('[ -n "$DEV" ] && exit 0\nexec gunicorn a:app')).toEqual(['2:a:app']);
    expect(names('if [ "$1" = stop ]; then\n  exit 0\nfi\nexec gunicorn a:app')).toEqual(['4:a:app']);
    expect(names('exec >> /var/log/s.log 2>&1\nexec gunicorn a:app')).toEqual(['2:a:app']);
    expect(names('usage() {\n  echo "usage: $0 start"\n  exit 1\n}\n[ $# -eq 0 ] && usage\n[ -z "$X" ] && { echo no; exit 1; }\nexec gunicorn a:app')).toEqual(['7:a:app']);
  });
  it('exec runs the service in the shell’s place', () => {
    expect(apps('exec python -u bot.py')[0]).toMatchObject({ name: 'bot.py', unbuffered: true });
    expect(names('exec "$@"')).toEqual([]);
  });
  it('server programs are services even in the foreground; one-off commands never are', () => {
    expect(names('gunicorn app:app -b 127.0.0.1:8000\necho done')).toEqual(['1:app:app']);
    expect(names('pip install -r r.txt\npython -m pip install x\npython manage.py migrate\nnode --version\nnpm ci\nmongod --version\ncelery -A t inspect ping')).toEqual([]);
  });
});

describe('detaching', () => {
  it.each([
    ['nohup python bot.py > b.log 2>&1 &', 'bot.py'],
    ['setsid python bot.py > b.log 2>&1 < /dev/null', 'bot.py'],
    ['screen -dmS bot python3 bot.py', 'bot.py'],
    ['screen -S bot -d -m bash -c "cd /srv && python bot.py"', 'bot.py'],
    ['tmux new -d -s api "uvicorn app:app --port 8001"', 'app:app'],
    ['tmux new-session -d -s w -c /srv/w node server.js', 'server.js'],
    ['tmux send-keys -t bot "python bot.py" Enter', 'bot.py'],
    ['screen -S bot -X stuff "python bot.py\\n"', 'bot.py'],
    ['( cd /srv && python bot.py >> bot.log 2>&1 ) &', 'bot.py'],
    ['sudo -u bot -H nohup /v/bin/python run.py > /l 2>&1 &', 'run.py'],
    ['su - bot -c "cd /srv && nohup python bot.py &"', 'bot.py'],
    ['node index.js > hook.log 2>&1 &\ndisown', 'index.js'],
  ])('%s', (line, name) => {
    expect(apps(`${line}\necho started`).map((a) => a.name)).toEqual([name]);
  });
  it('a detached program that is not a server is not a service', () => {
    expect(names('nohup sleep 100 &\nscreen -dmS logs tail -f x.log\ntmux new -d -s shell')).toEqual([]);
  });
  it('python in a screen/tmux window writes to a terminal, which it line-buffers; redirected to a file it buffers', () => {
    expect(apps('screen -dmS bot bash -c "cd /srv && python bot.py"')[0]?.unbuffered).toBe(true);
    expect(apps('tmux new -d -s bot "python bot.py > bot.log 2>&1"')[0]?.unbuffered).toBe(false);
    expect(apps('nohup python bot.py &')[0]?.unbuffered).toBe(false);
  });
  it('screen -L keeps a log; a screen without it loses the output', () => {
    expect(apps('screen -L -dmS bot python bot.py')[0]?.logs.out).toBe('screenlog.0');
    expect(apps('screen -dmS bot python bot.py')[0]?.logs.out).toBeNull();
  });
});

describe('functions and variables', () => {
  const script = [
    'start_service() {',
    '  local name=$1',
    '  local command=$2',
    '  local log=$3',
    '  nohup $command > $log 2>&1 &',
    '}',
    'start_service main "python3 main.py" logs/main.log',
    'start_service api "python3 -m uvicorn api:app --port 8001" logs/api.log',
  ].join('\n');
  it('passes commands through a function and its variables, reported at each call', () => {
    expect(apps(script).map((a) => [a.line, a.name, a.argv.join(' '), a.logs.out])).toEqual([
      [7, 'main.py', 'python3 main.py', 'logs/main.log'],
      [8, 'api:app', 'python3 -m uvicorn api:app --port 8001', 'logs/api.log'],
    ]);
  });
  it('a function that is never called starts nothing', () => {
    expect(names('start() {\n  nohup python bot.py &\n}\necho usage')).toEqual([]);
  });
  it('function keyword, ${VAR:-default}, $@, and a variable holding the command', () => {
    const text = 'function run {\n  nohup "$@" > "${LOG:-/var/log/x.log}" 2>&1 &\n}\nCMD="python bot.py --port 9000"\nrun $CMD';
    expect(apps(text)[0]).toMatchObject({ argv: ['python', 'bot.py', '--port', '9000'], port: 9000, logs: { out: '/var/log/x.log' } });
  });
  it('one function called from two places (start, restart) is one service', () => {
    const text = 'start() {\n  nohup python bot.py > b.log 2>&1 &\n}\ncase "$1" in\n  start) start ;;\n  restart) stop; start ;;\nesac';
    expect(names(text)).toEqual(['5:bot.py']);
  });
});

describe('cd, venvs and environment', () => {
  it('tracks cd and source activate through && chains', () => {
    expect(apps('cd /opt/app && source venv/bin/activate && nohup python bot.py &')[0]).toMatchObject({ cwd: '/opt/app', inVenv: true });
  });
  it('a backgrounded `source venv/bin/activate &` runs in a subshell and activates nothing; a backgrounded list keeps its cd inside', () => {
    expect(apps('source venv/bin/activate &\nnohup python3 bot.py > b.log 2>&1 &')[0]?.inVenv).toBe(false);
    expect(apps('cd /a && nohup python x.py > x.log 2>&1 &\nnohup python y.py > y.log 2>&1 &').map((a) => a.cwd)).toEqual(['/a', null]);
  });
  it('a python after `deactivate`, or before activating, is the system one', () => {
    expect(apps('nohup python a.py &\nsource venv/bin/activate\nnohup python b.py &\ndeactivate\nnohup python c.py &').map((a) => a.inVenv)).toEqual([false, true, false]);
  });
  it('poetry run, pipenv run, conda activate and a venv bin on PATH are venvs', () => {
    expect(apps('nohup poetry run python bot.py &')[0]?.inVenv).toBe(true);
    expect(apps('conda activate bot\nnohup python bot.py &')[0]?.inVenv).toBe(true);
    expect(apps('export PATH=/srv/venv/bin:$PATH\nnohup python bot.py &')[0]?.inVenv).toBe(true);
  });
  it('env before the command and exported variables reach the app', () => {
    expect(apps('export PYTHONUNBUFFERED=1\nFOO=1 nohup python bot.py &')[0]).toMatchObject({ unbuffered: true, env: { PYTHONUNBUFFERED: '1', FOO: '1' } });
    expect(apps('PYTHONUNBUFFERED=1\nnohup python bot.py &')[0]?.unbuffered).toBe(false); // set, not exported
  });
});

describe('if/elif/else and case are alternatives', () => {
  const mongo = 'if [ "$(uname)" == "Darwin" ]; then\n  mongod --config /usr/local/etc/mongod.conf --fork --logpath /tmp/m.log\nelse\n  mongod --dbpath /var/lib/mongodb --fork --logpath /tmp/m.log\nfi';
  it('both branches are read, as exclusive of each other', () => {
    const [a, b] = apps(mongo);
    expect([a?.line, b?.line]).toEqual([2, 4]);
    expect(exclusive(a as never, b as never)).toBe(true);
  });
  it('a service after the if is not exclusive of either branch', () => {
    const list = apps(`${mongo}\nnohup python bot.py > b.log 2>&1 &`);
    expect(exclusive(list[0] as never, list[2] as never)).toBe(false);
  });
  it('a variable set to the venv python in some branches reads as the venv python', () => {
    const text = 'if [ -d .venv ]; then\n  PY=.venv/bin/python\nelif [ -d venv ]; then\n  PY=venv/bin/python\nelse\n  PY=python3\nfi\nnohup "$PY" bot.py > b.log 2>&1 &';
    expect(apps(text)[0]).toMatchObject({ inVenv: true, argv: ['.venv/bin/python', 'bot.py'] });
    expect(apps('PY=python3\nnohup "$PY" bot.py > b.log 2>&1 &\n# venv/bin/python')[0]?.inVenv).toBe(false);
  });
  it('case arms are alternatives; a dev) arm is not what the server runs', () => {
    const text = 'case "$1" in\n  prod) nohup gunicorn a:app -b 127.0.0.1:8000 > g.log 2>&1 & ;;\n  staging) nohup gunicorn a:app -b 127.0.0.1:8000 > g.log 2>&1 & ;;\n  dev) python manage.py runserver ;;\nesac';
    const [a, b, c] = apps(text);
    expect(exclusive(a as never, b as never)).toBe(true);
    expect(c).toBeUndefined();
  });
});

describe('loops', () => {
  it('a while-true loop is a restart policy, its sleep the delay', () => {
    expect(apps('while true; do\n  python bot.py >> b.log 2>&1\n  sleep 5\ndone')[0]?.restart).toMatchObject({ autorestart: true, delayMs: 5000 });
    expect(apps('while :\ndo\n  python bot.py\ndone')[0]?.restart).toMatchObject({ autorestart: true, delayMs: null });
  });
  it('`until python bot.py; do sleep 5; done` restarts the program until it exits cleanly', () => {
    expect(apps('until python bot.py >> b.log 2>&1; do\n  echo "crashed, restarting" >&2\n  sleep 5\ndone')[0]).toMatchObject({ name: 'bot.py', line: 1, restart: { autorestart: true, delayMs: 5000 } });
  });
  it('a for loop over items is not a restart loop, and a while-read loop starts nothing', () => {
    expect(apps('for s in a b; do\n  nohup python "$s.py" &\ndone')[0]?.restart).toBeNull();
    expect(names('while read -r line; do\n  echo "$line"\ndone < list.txt')).toEqual([]);
  });
});

describe('syntax bash accepts', () => {
  it('skips heredoc bodies and comments', () => {
    expect(names('cat > /tmp/x <<EOF\nnohup python fake.py &\nEOF\n# nohup python no.py &\ncat <<-"END"\n\tuvicorn a:b &\n\tEND')).toEqual([]);
  });
  it('joins continuations and reads quotes with escapes', () => {
    expect(apps('nohup python \\\n  -m bot \\\n  --name "my \\"bot\\"" > b.log 2>&1 &')[0]).toMatchObject({ line: 1, argv: ['python', '-m', 'bot', '--name', 'my "bot"'] });
  });
  it('keeps $(...) in one word and survives unbalanced input', () => {
    // Without the script's path the folder stays as written (init leaves it to fill in); with it, it resolves.
    expect(apps('cd "$(dirname "$0")"\nnohup python bot.py > b.log 2>&1 &')[0]?.cwd).toBe('$(dirname "$0")');
    expect(readShell('cd "$(dirname "$0")"\nnohup python bot.py > b.log 2>&1 &', { script: '/srv/p/run.sh' }).apps[0]?.cwd).toBe('/srv/p');
    expect(() => parseShell('if [ x ]; then\n  python a.py &\n( broken')).not.toThrow();
  });
});

describe('a script handed to a local shell on stdin', () => {
  it("sudo -u ubuntu bash <<'EOF' … EOF (cloud-init user data): its lines run, in a child shell, at their own line numbers", () => {
    const text = "#!/bin/bash\nset -e\nsudo -u ubuntu bash <<'EOF'\ncd ~/app/srvc_query\nsource .venv/bin/activate\nnohup fastapi run --port 4101 --host 0.0.0.0 >~/http.log 2>&1 &\nEOF\necho done\n";
    const [a] = apps(text);
    expect(a).toMatchObject({ line: 6, cwd: '~/app/srvc_query', inVenv: true, port: 4101 });
    expect(a?.argv.slice(0, 2)).toEqual(['fastapi', 'run']);
  });
  it('control: a heredoc to cat, or to ssh host bash (another machine), stays data', () => {
    expect(apps("cat > run.sh <<'EOF'\nnohup python bot.py &\nEOF\n")).toEqual([]);
    expect(apps("ssh deploy@host bash <<'EOF'\nnohup python bot.py &\nEOF\n")).toEqual([]);
  });
});

describe('pm2 start lines are pm2 apps', () => {
  it('reads the flags into the app', () => {
    const [a] = apps('pm2 start app.py --name bot --max-memory-restart 300M --watch --time -o o.log -e e.log --interpreter python3 --max-restarts 5');
    expect(a).toMatchObject({ name: 'bot', origin: 'pm2-cli', format: 'pm2', memoryBytes: 300 * 1024 ** 2, watch: true, interpreter: 'python3', logs: { out: 'o.log', err: 'e.log' }, restart: { maxRestarts: 5 } });
  });
  it('a quoted command runs through bash -c, and --no-autorestart is a one-shot', () => {
    const [a, b] = apps('pm2 start "poetry run python src/bot.py" --name bot\npm2 start job.js --no-autorestart');
    expect(a).toMatchObject({ name: 'bot', argv: ['python', 'src/bot.py'], inVenv: true, script: 'bash' });
    expect(b?.restart?.autorestart).toBe(false);
  });
  it('pm2 start of an ecosystem file, and other pm2 commands, are not apps', () => {
    expect(names('pm2 start ecosystem.config.js --env production\npm2 restart all\npm2 save')).toEqual([]);
  });
});

describe('unwrap', () => {
  it.each([
    [['nice', '-n', '10', 'python', 'a.py'], ['python', 'a.py']],
    [['timeout', '1h', 'python', 'a.py'], ['python', 'a.py']],
    [['env', '-u', 'X', 'A=1', 'python', 'a.py'], ['python', 'a.py']],
    [['sudo', '-E', '-u', 'bot', 'python', 'a.py'], ['python', 'a.py']],
    [['gosu', 'app', 'python', 'a.py'], ['python', 'a.py']],
    [['conda', 'run', '-n', 'bot', 'python', 'a.py'], ['python', 'a.py']],
    [['flock', '-n', '/tmp/l', 'python', 'a.py'], ['python', 'a.py']],
  ])('%j', (words, argv) => {
    expect(unwrap(words).argv).toEqual(argv);
  });
  it('hands a command string back to be read as a script', () => {
    expect(unwrap(['bash', '-lc', 'cd /x && python a.py'])).toMatchObject({ argv: [], nested: 'cd /x && python a.py' });
    expect(shellLine('cd /srv/app && source venv/bin/activate && exec python bot.py')).toMatchObject({ argv: ['python', 'bot.py'], cwd: '/srv/app', inVenv: true });
  });
});
