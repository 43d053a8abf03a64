// A script handed to a local shell on its stdin (`sudo -u ubuntu bash <<'EOF'`
// … `EOF`, as cloud-init user data and provisioning scripts do) runs those
// lines as commands, in a child shell. Heredoc bodies are otherwise data and
// skipped, so this rewrites such a heredoc into a subshell group `( … )` before
// parsing, keeping every line where it was (findings keep their line numbers).
// A heredoc to `ssh host bash` runs on another machine and is left alone.

const OPENER = /^(\s*)(?:sudo(?:\s+-[A-Za-z]+(?:\s+[\w.-]+)?)*\s+|su\s+(?:-\s+)?[\w.-]+\s+-s\s+)?(?:\/(?:usr\/)?bin\/)?(?:bash|sh|dash|zsh)(?:\s+-[a-z]+)*\s*<<(-?)\s*(['"]?)([A-Za-z_][\w.-]*)\3\s*$/;

export function inlineShellHeredocs(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = OPENER.exec(lines[i] ?? '');
    if (!m) continue;
    const strip = m[2] === '-';
    const end = lines.findIndex((l, j) => j > i && (strip ? l.replace(/^\t+/, '') : l).trim() === m[4]);
    if (end < 0) continue;
    lines[i] = `${m[1] ?? ''}(`;
    lines[end] = ')';
    i = end;
  }
  return lines.join('\n');
}
