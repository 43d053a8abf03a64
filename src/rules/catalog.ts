// One line per rule id, for SARIF's rule table (GitHub shows it beside each
// alert) and --help. Ids not listed (the stack's structure checks) fall back to
// their id.

export const RULE_DOCS: Readonly<Record<string, string>> = {
  'watch-on': 'pm2 watch restarts the app whenever a file changes; a git pull then restarts it mid-request',
  'reload-flag': 'a reload flag or watcher tool (--reload, nodemon, flask --debug) in production',
  'no-memory-limit': 'a long-running service with no memory limit',
  'unbounded-restarts': 'a crash loop with no delay between restarts',
  'short-kill-timeout-db': 'a database gets too little time to stop before SIGKILL',
  'db-public-bind': 'a database listens on every interface',
  'python-buffered': 'Python output is buffered; the lines before a crash are lost',
  'no-venv': 'a Python service runs on the system interpreter where the project uses a venv',
  'dup-name': 'two apps share one name',
  'dup-port': 'two services on one port',
  'no-logs': 'a service whose output is lost, thrown away or shared',
  'inline-secret': 'a secret written literally in the file',
  'no-monitor': 'the stack runs without the health monitor: a hung service is never healed',
  'auto-pull': 'a git pull runs on the serving host by itself (start script, cron, systemd, a crontab line a script installs, a webhook receiver)',
  'db-data-in-tmp': 'a database keeps its files under /tmp or /dev/shm, which boot or memory empties',
  'unresolved-path': 'a path is shell syntax nobody expands, or one init left to fill in',
  'pip-install-on-start': 'pip install -r runs on every start: each boot may change the venv',
  'service-dotenv-override': "a service loads its own .env with override=True, over what botstack passes",
  'pm2-skips-app': 'pm2 skips an app with no script',
  'pm2-no-apps': 'pm2 finds no apps in this file',
};

export const describeRule = (id: string): string => RULE_DOCS[id] ?? id;
