import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// pm2's own entry in the user's folder. pm2 does not read ecosystem.config.ts,
// and `pm2 start` with no argument loads ecosystem.config.js. So `init` writes,
// beside the typed stack:
//   ecosystem.config.cjs  loads the stack through the botstack that wrote it
//                         (by absolute path: a global package is not found by
//                         require() from the user's folder) and validates it
//                         exactly as our own entry does (runtime/pm2-entry.cjs
//                         -> src/ops/ecosystem/entry.ts);
//   ecosystem.config.js   re-exports the .cjs, as ESM when the folder's nearest
//                         package.json says "type": "module", as CJS otherwise.

/** The first line of every file this writes: how a rerun tells ours from the user's own pm2 file. */
export const ENTRY_MARK = '// pm2 entry written by `botstack init`';

export interface EntryFile {
  readonly file: string;
  readonly text: string;
}

/** The nearest package.json's "type", as Node decides how to read a .js file there. */
export function moduleType(dir: string): 'module' | 'commonjs' {
  for (let d = dir; ; d = dirname(d)) {
    const pkg = join(d, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(d) === d) return 'commonjs';
  }
}

const cjs = (stackFile: string, pkgRoot: string): string => `${ENTRY_MARK} for ${basename(stackFile)}.
// pm2 does not read .ts files: this loads the typed stack through botstack,
// validates it, and hands pm2 the compiled apps. On any problem it prints every
// one of them and pm2 starts nothing.   pm2 start ecosystem.config.js
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

// The botstack that wrote this file. A global package is not found by require()
// from this folder, so its path is written here; BOTSTACK_PACKAGE overrides it.
const BOTSTACK = process.env.BOTSTACK_PACKAGE || ${JSON.stringify(pkgRoot)};

function entry() {
  const written = join(BOTSTACK, 'runtime', 'pm2-entry.cjs');
  if (existsSync(written)) return written;
  try {
    // A botstack installed in this project's own node_modules.
    return join(require.resolve('botstack/package.json', { paths: [__dirname] }), '..', 'runtime', 'pm2-entry.cjs');
  } catch {
    const why = 'botstack: no botstack at ' + BOTSTACK + ' (uninstalled, or installed under another Node); pm2 starts nothing from ' + __filename + '.\\n' +
      '  fix: npm i -g botstack, then run \`botstack init --entry\` in ' + __dirname + ' (or set BOTSTACK_PACKAGE to the folder printed by: echo "$(npm root -g)/botstack")';
    process.stderr.write('\\n' + why + '\\n\\n');
    throw new Error(why);
  }
}

module.exports = { apps: require(entry()).appsFromFile(join(__dirname, ${JSON.stringify(basename(stackFile))})) };
`;

const esm = `${ENTRY_MARK}: what \`pm2 start\` loads by default.
// It hands pm2 ecosystem.config.cjs's apps. This folder's package.json says
// "type": "module", so this file is ESM; pm2 reads its named export \`apps\`.
import { createRequire } from 'node:module';

export const { apps } = createRequire(import.meta.url)('./ecosystem.config.cjs');
`;

const commonjs = `${ENTRY_MARK}: what \`pm2 start\` loads by default.
// It hands pm2 ecosystem.config.cjs's apps. (Were this folder's package.json to
// say "type": "module", rerun \`botstack init --entry\`: this file would be ESM.)
module.exports = require('./ecosystem.config.cjs');
`;

/** Both entry files for the stack file `stackFile`, pointing at the botstack package in `pkgRoot`. */
export function userEntryFiles(stackFile: string, pkgRoot: string): readonly EntryFile[] {
  const dir = dirname(stackFile);
  return [
    { file: join(dir, 'ecosystem.config.cjs'), text: cjs(stackFile, pkgRoot) },
    { file: join(dir, 'ecosystem.config.js'), text: moduleType(dir) === 'module' ? esm : commonjs },
  ];
}

/** A file there already that this did not write: the user's own pm2 file, never overwritten. */
export function isForeign(file: string): boolean {
  return existsSync(file) && !readFileSync(file, 'utf8').startsWith(ENTRY_MARK);
}

export interface EntryWrite {
  /** Written (or rewritten: they are generated, and a rerun points them at the botstack running now). */
  readonly written: readonly string[];
  /** The user's own files of those names, left as they are. */
  readonly kept: readonly string[];
}

/**
 * Writes both entry files beside `stackFile`, never over a file botstack did
 * not write (a pm2 user's own ecosystem.config.js, maybe the very file init
 * read). The .js only re-exports the .cjs, so it is skipped with it.
 */
export function writeUserEntry(stackFile: string, pkgRoot: string): EntryWrite {
  const [cjsFile, jsFile] = userEntryFiles(stackFile, pkgRoot);
  const written: string[] = [];
  const kept: string[] = [];
  for (const f of [cjsFile!, jsFile!]) {
    if (isForeign(f.file) || (f === jsFile && kept.includes(cjsFile!.file))) {
      kept.push(f.file);
      continue;
    }
    writeFileSync(f.file, f.text, { mode: 0o644 });
    written.push(f.file);
  }
  return { written, kept };
}
