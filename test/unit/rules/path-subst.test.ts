import { describe, expect, it } from 'vitest';
import { expandPath, type PathEnv } from '../../../src/rules/model/shell/path-subst.js';

// The script's-own-folder idioms, resolved to the script's folder; the rest left as written.

const env = (over: Partial<PathEnv> = {}): PathEnv => ({ script: '/srv/proj/start_all_services.sh', cwd: '/home/u', vars: new Map(), ...over });
const ex = (w: string, e = env()) => expandPath(w, e);

describe('shell: the script locating itself', () => {
  it.each([
    ['$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)', '/srv/proj'],
    ['$( cd -- "$( dirname -- "${BASH_SOURCE[0]}" )" &> /dev/null && pwd )', '/srv/proj'],
    ['$(cd "$(dirname "$0")" >/dev/null 2>&1; pwd -P)', '/srv/proj'],
    ['$(dirname "$0")', '/srv/proj'],
    ['$(dirname $BASH_SOURCE)', '/srv/proj'],
    ['`dirname $0`', '/srv/proj'],
    ['${BASH_SOURCE%/*}', '/srv/proj'],
    ['${0%/*}/venv', '/srv/proj/venv'],
    ['$(dirname "$(readlink -f "$0")")', '/srv/proj'],
    ['$(dirname "$(realpath "${BASH_SOURCE[0]}")")', '/srv/proj'],
    ['$(readlink -f "$(dirname "$0")")', '/srv/proj'],
    ['$(realpath "$0")', '/srv/proj/start_all_services.sh'],
    ['$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/venv/bin/python', '/srv/proj/venv/bin/python'],
    // flantob.sh: cd to the script's folder, then the folder of "$PWD/<its name>".
    ['$(cd "${0%/*}" 2>/dev/null; dirname "$PWD"/"${0##*/}")', '/srv/proj'],
  ])('%s', (word, want) => {
    expect(ex(word)).toEqual({ text: want, resolved: true });
  });

  it('over variables already known: PROJECT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"', () => {
    const vars = new Map([['SCRIPT_DIR', ['/srv/proj/scripts']]]);
    expect(ex('$(cd "$SCRIPT_DIR/.." && pwd)', env({ vars }))).toEqual({ text: '/srv/proj', resolved: true });
    expect(ex('${SCRIPT_DIR}/../venv', env({ vars })).text).toBe('/srv/proj/scripts/../venv');
  });

  it('$(pwd) and a relative cd use the folder the script is in at that point', () => {
    expect(ex('$(pwd)/logs', env({ cwd: '/opt/app' }))).toEqual({ text: '/opt/app/logs', resolved: true });
    expect(ex('$(cd ../shared && pwd)', env({ cwd: '/opt/app' }))).toEqual({ text: '/opt/shared', resolved: true });
  });

  it('control: what is not path arithmetic stays as written, and says so', () => {
    expect(ex('$(grep TOKEN .env | cut -d= -f2)')).toEqual({ text: '$(grep TOKEN .env | cut -d= -f2)', resolved: false });
    expect(ex('$APP_HOME/api')).toEqual({ text: '$APP_HOME/api', resolved: false });
    expect(ex('$(dirname "$0")', env({ script: null })).resolved).toBe(false);
    expect(ex('$(pwd)', env({ cwd: null })).resolved).toBe(false);
    expect(ex('/plain/path')).toEqual({ text: '/plain/path', resolved: true });
  });
});
