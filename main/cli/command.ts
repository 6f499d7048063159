/** Where a command writes: stdout for results, stderr for progress and problems. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** An `icp` sub-command. `run` resolves to the process exit code. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
