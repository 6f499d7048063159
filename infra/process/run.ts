import { spawn } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called for each line the command prints, for progress reporting. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
}

/** Runs a command to completion; never throws for a non-zero exit (callers decide what it means). */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const lines = (chunk: Buffer, sink: 'out' | 'err'): void => {
      const text = chunk.toString('utf8');
      if (sink === 'out') stdout += text;
      else stderr += text;
      if (options.onLine) for (const line of text.split('\n')) if (line.trim()) options.onLine(line.trim());
    };
    child.stdout.on('data', (c: Buffer) => lines(c, 'out'));
    child.stderr.on('data', (c: Buffer) => lines(c, 'err'));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code: null, stdout, stderr: stderr + String(error.message) });
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
