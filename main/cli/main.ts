import { ConfigError } from '../../infra/config/config';
import { type CliCommand, type CliIo, processIo } from './command';
import { processIoFor } from './log-io';
import { auditCommand } from './commands/audit.command';
import { demoCommand } from './commands/demo.command';
import { doctorCommand } from './commands/doctor.command';
import { outboxCommand } from './commands/outbox.command';
import { complianceCommand } from './commands/compliance.command';
import { projectionsCommand } from './commands/projections.command';
import { projectorCommand } from './commands/projector.command';
import { provisionCommand } from './commands/provision.command';
import { registryCommand } from './commands/registry.command';
import { apiCommand, workerCommand } from './commands/serve.commands';
import { startCommand } from './commands/start.command';
import { tokenCommand } from './commands/token.command';
import { validateCommand } from './commands/validate.command';
import { verifyAnswerCommand } from './commands/verify-answer.command';
import { verifyCommand } from './commands/verify.command';

export const commands: readonly CliCommand[] = [
  startCommand,
  workerCommand,
  apiCommand,
  projectorCommand,
  projectionsCommand,
  auditCommand,
  registryCommand,
  doctorCommand,
  provisionCommand,
  validateCommand,
  verifyAnswerCommand,
  verifyCommand,
  complianceCommand,
  outboxCommand,
  tokenCommand,
  demoCommand,
];

function help(io: CliIo): void {
  io.out('icp — ICP filing engine');
  io.out('');
  for (const command of commands) io.out(`  ${command.usage.padEnd(48)} ${command.summary}`);
  io.out('');
  io.out('Configuration comes from environment variables; see README.md.');
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`icp: unknown command "${name}"; run \`icp help\``);
    return 2;
  }
  try {
    return await command.run(args, processIoFor(name, io));
  } catch (error) {
    io.err(`icp ${name}: ${error instanceof ConfigError ? error.message : (error as Error).message}`);
    return error instanceof ConfigError ? 2 : 1;
  }
}
