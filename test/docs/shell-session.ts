import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One bash process for a whole guide, so variables set by one block are there for the
 * next, as in the reader's terminal. Each block is written to a file and sourced with
 * stdin from /dev/null: a command that reads stdin gets nothing instead of the rest of
 * the script. Standard error goes to standard output, so an unexpected error shows up in
 * the compared output.
 */
export interface BlockResult {
  output: string;
  status: number;
  /** The variables asked for, as the block left them. */
  values: Record<string, string>;
}

export interface ShellSession {
  run(code: string, variables: string[], timeoutMs: number): Promise<BlockResult>;
  close(): void;
}

export function startShell(options: {
  cwd: string;
  env: Record<string, string>;
  /** A command to run bash under (faketime and its arguments), or none. */
  wrapper?: string[];
}): ShellSession {
  const command = [...(options.wrapper ?? []), 'bash', '--noprofile', '--norc'];
  // Its own process group, so closing it also ends what the guide left in the background.
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const mark = `__guide_${randomBytes(6).toString('hex')}`;
  let buffer = '';
  let exited = false;
  let waiting: (() => void) | null = null;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    waiting?.();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    waiting?.();
  });
  child.once('exit', () => {
    exited = true;
    waiting?.();
  });
  child.stdin!.write('exec 2>&1\n');
  let count = 0;

  return {
    async run(code, variables, timeoutMs) {
      count++;
      const file = join(options.cwd, `.guide-block-${count}.sh`);
      writeFileSync(file, `${code}\n`);
      const report = variables.map((name) => `printf '${mark}:var:%s\\n' "$${name}"`).join('\n');
      child.stdin!.write(
        `source ${file} </dev/null; __status=$?\nprintf '\\n${mark}:status:%s\\n' "$__status"\n${report}\nprintf '${mark}:end\\n'\n`,
      );
      const end = `${mark}:end\n`;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = null;
          reject(
            new Error(`the block did not finish within ${timeoutMs} ms; it printed:\n${buffer}`),
          );
        }, timeoutMs);
        waiting = () => {
          if (buffer.includes(end) || exited) {
            clearTimeout(timer);
            waiting = null;
            if (exited && !buffer.includes(end))
              reject(new Error(`bash exited during the block; it printed:\n${buffer}`));
            else resolve();
          }
        };
        waiting();
      });
      const [before, after] = [
        buffer.slice(0, buffer.indexOf(`\n${mark}:status:`)),
        buffer.slice(buffer.indexOf(`\n${mark}:status:`) + 1, buffer.indexOf(end)),
      ];
      buffer = buffer.slice(buffer.indexOf(end) + end.length);
      const lines = after.split('\n').filter((l) => l !== '');
      const status = Number(lines[0]!.slice(`${mark}:status:`.length));
      const values: Record<string, string> = {};
      variables.forEach((name, i) => {
        values[name] = lines[i + 1]!.slice(`${mark}:var:`.length);
      });
      return { output: before, status, values };
    },
    close() {
      if (exited || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}
