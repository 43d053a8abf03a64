import { describe, expect, it } from 'vitest';
import { readDockerfile } from '../../../src/rules/model/from-dockerfile.js';
import { readUnit } from '../../../src/rules/model/from-systemd.js';
import { joinedLines } from '../../../src/rules/model/joined-lines.js';

// One joiner for Dockerfiles and systemd units: a trailing backslash continues
// the line, the joined line keeps the number of its first line. The readers
// differ on comments: Docker drops a `#` line even inside a continuation,
// systemd joins it and its reader skips the whole.

const DOCKER = { drop: /^\s*#/ };

describe('joinedLines', () => {
  it('joins a continued line and keeps the line it starts on', () => {
    expect(joinedLines('FROM python\nCMD python \\\n  bot.py\nENV A=1')).toEqual([
      { line: 1, text: 'FROM python' },
      { line: 2, text: 'CMD python    bot.py' },
      { line: 4, text: 'ENV A=1' },
    ]);
  });

  it('reads CRLF files and drops a line still continued at the end of the file', () => {
    expect(joinedLines('A=1\r\nB=2 \\\r\n')).toEqual([
      { line: 1, text: 'A=1' },
      { line: 2, text: 'B=2  ' },
    ]);
    expect(joinedLines('A=1\nB=2 \\')).toEqual([{ line: 1, text: 'A=1' }]);
  });

  it("drops comment lines inside a continuation for Docker, joins them for systemd", () => {
    const text = 'RUN a \\\n  # why\n  b\n# a comment \\\nCMD c';
    expect(joinedLines(text, DOCKER)).toEqual([
      { line: 1, text: 'RUN a    b' },
      { line: 5, text: 'CMD c' },
    ]);
    expect(joinedLines(text)).toEqual([
      { line: 1, text: 'RUN a    # why' },
      { line: 3, text: '  b' },
      { line: 4, text: '# a comment  CMD c' },
    ]);
  });

  it('gives both readers the line a continued command starts on', () => {
    const docker = readDockerfile('FROM python:3.12\n# run it\nWORKDIR /app\nCMD ["uvicorn", \\\n  # the app\n  "main:app"]');
    expect(docker[0]).toMatchObject({ line: 4, argv: ['uvicorn', 'main:app'] });
    const unit = readUnit('[Unit]\nDescription=bot\n\n[Service]\nExecStart=/usr/bin/python3 \\\n  bot.py\n', 'bot.service');
    expect(unit.apps[0]).toMatchObject({ line: 5, argv: ['/usr/bin/python3', 'bot.py'] });
  });
});
