#!/usr/bin/env bash
# The incident's health_check.sh, generalised: curl every URL once a second,
# forever. Counts probes in $COUNT_FILE so the benchmark can compute CPU/probe.
# Usage: bench-monitor-curl.sh COUNT_FILE URL...
count_file=$1; shift
n=0
while true; do
  for url in "$@"; do
    curl -s -o /dev/null --max-time 1 "$url" || echo "$(date) $url failed" >/dev/null
    n=$((n + 1))
  done
  echo "$n" > "$count_file"
  sleep 1
done
