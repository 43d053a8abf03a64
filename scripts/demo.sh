#!/usr/bin/env bash
# botstack's main job on the built-in demo stack (demo/stack.config.ts): check
# it, start it in dependency order gated on health, hang a service the way a
# deadlocked uvicorn hangs, and watch the monitor bring it back by itself.
# Its own pm2 daemon (PM2_HOME=.demo/pm2) and ports: your pm2 is never touched.
#   npm run demo             run, then stop everything
#   npm run demo -- --keep   leave it running (then: PM2_HOME=.demo/pm2 npx pm2 monit)
set -euo pipefail
cd "$(dirname "$0")/.."
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1
export PM2_HOME="$PWD/.demo/pm2"
CFG=demo/stack.config.ts
botstack() { node bin/botstack.js "$@"; }
pm2() { node node_modules/pm2/bin/pm2 "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

[ -f dist/src/cli/bin.js ] || npm run --silent build
mkdir -p .demo
# The demo's Python services use only the standard library: a bare venv is enough.
[ -x .demo/venv/bin/python ] || python3 -m venv --without-pip .demo/venv

finish() {
  if [ "$KEEP" = 0 ]; then
    step "stopping the demo (botstack stop, then its private pm2 daemon)"
    botstack stop --config "$CFG" || true
    pm2 kill >/dev/null 2>&1 || true
  else
    printf '\nThe demo is still running. Try:\n  PM2_HOME=%s npx pm2 monit\n  PM2_HOME=%s npx pm2 trigger monitor health\n  PM2_HOME=%s node bin/botstack.js status --config %s\nStop it: PM2_HOME=%s npx pm2 kill\n' "$PM2_HOME" "$PM2_HOME" "$PM2_HOME" "$CFG" "$PM2_HOME"
  fi
}
trap finish EXIT

step "1/5 botstack check: the production rules, on the demo stack and on the incident's start script"
botstack check "$CFG"
botstack check test/fixtures/check/start_all_services.sh || true

step "2/5 botstack start: dependency order, each service gated on its health"
botstack start --config "$CFG"

step "3/5 botstack status"
botstack status --config "$CFG"

step "4/5 a hang: SIGSTOP the api (alive, holding its port, answering nothing; pm2 sees nothing wrong)"
# The hang must hit a service the monitor has seen healthy: until its first
# good probe, a service is still within its start grace (30 s) and a hang then
# reads as a slow start. `botstack start` gates on its own probes, so wait for
# the monitor's verdict too (it sees a new process within a second).
monitor_sees_all_healthy() {
  pm2 trigger monitor health 2>/dev/null | sed -n 's/^\[monitor[^=]*=//p' | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  try { process.exit(Object.values(JSON.parse(s).services).every((v) => v.state === "healthy") ? 0 : 1); } catch { process.exit(1); }
});'
}
waited=0
until monitor_sees_all_healthy; do
  waited=$((waited + 1))
  if [ "$waited" -gt 60 ]; then echo "the monitor did not report every service healthy within 30 s" >&2; exit 1; fi
  sleep 0.5
done
echo "the monitor reports every service healthy"
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);const a=r.services.find(x=>x.name==="api");console.log(a?a[process.argv[1]]:"")})' "$1"; }
pid=$(botstack status --config "$CFG" --json | field pid || true)
kill -STOP "$pid"
start=$(date +%s%N)
echo "api pid $pid stopped at $(date +%T.%3N); waiting for the monitor (deadline 30 s)"
while :; do
  now=$(botstack status --config "$CFG" --json 2>/dev/null || true)
  newpid=$(printf '%s' "$now" | field pid || true)
  health=$(printf '%s' "$now" | field health || true)
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '  %5d ms  api pid=%s health=%s\n' "$elapsed" "${newpid:-?}" "${health:-?}"
  if [ -n "$newpid" ] && [ "$newpid" != "$pid" ] && [ "$health" = healthy ]; then
    echo "api is healthy again as pid $newpid, $elapsed ms after the hang, with no other service restarted"
    break
  fi
  if [ "$elapsed" -gt 30000 ]; then echo "the api did not recover within 30 s" >&2; exit 1; fi
done

step "5/5 status after self-healing, and the monitor's own report (pm2 trigger monitor health)"
botstack status --config "$CFG" || true
# pm2 prints its banner and a prefix; keep the JSON reply and show it compactly.
pm2 trigger monitor health 2>/dev/null | sed -n 's/^\[monitor[^=]*=//p' | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const r = JSON.parse(s);
  console.log(`pm2 trigger monitor health  (paused: ${r.paused})`);
  for (const [name, v] of Object.entries(r.services))
    console.log(`  ${name.padEnd(7)} ${v.state.padEnd(8)} heals=${v.heals} restarts=${v.restarts}${v.lastError ? `  last error: ${v.lastError}` : ""}`);
});' || true
