import type { CliCommand, CliIo } from '../../main/cli/command';

export interface CapturedRun {
  code: number;
  out: string[];
  err: string[];
}

/** Runs an `icp` sub-command in-process, capturing what it writes and the exit code it resolves to. */
export async function runCommand(command: CliCommand, args: readonly string[]): Promise<CapturedRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await command.run(args, io);
  return { code, out, err };
}
