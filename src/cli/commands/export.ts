import type { Command } from 'commander';
import type { CliIO, SetExit } from '../../util/io.js';
import { stackCommand } from './stack-command.js';

const HELP = `
Writes the stack as a Docker Compose file (compose) or Kubernetes manifests
(k8s), with a Dockerfile for the Python services. Health checks, dependency
order, memory limits, stop grace and secret names come from the stack; secret
values never do. Compose also gets botstack's monitor as a container that
heals through the Docker Engine API (it mounts the Docker socket: root on the
host); --no-monitor leaves it out. See docs/scale-out.md.

Exit codes:
  0  written (or printed)
  2  bad target or flag, a stack that does not load, or an existing file with
     other content (pass --force)`;

const collect = (v: string, all: string[]): string[] => [...all, v];

export function registerExport(program: Command, io: CliIO, setExit: SetExit): void {
  stackCommand(program, 'export', 'export the stack to Docker Compose or Kubernetes (compose|k8s)', HELP)
    .argument('<target>', 'compose or k8s')
    .option('--out <dir>', 'output folder (default: deploy/<target>); "-" prints the YAML to stdout, for kubectl apply -f -')
    .option('--namespace <ns>', 'k8s: the namespace every object goes into')
    .option('--image <service=image>', 'the image a service runs (repeatable)', collect, [])
    .option('--no-monitor', "compose: leave botstack's monitor container (and its Docker socket mount) out")
    .option('--force', 'replace files that exist with other content')
    .option('--json', 'print a JSON summary: files, warnings, next commands')
    .action(async (target: string, opts: { config: string; out?: string; namespace?: string; image: string[]; monitor?: boolean; force?: boolean; json?: boolean }) => {
      const { runExport } = await import('../../ops/export/run.js');
      setExit(await runExport(io, target, opts));
    });
}
