/**
 * Developer CLI: `npm run --silent hpc -- <command> ...`. Prints JSON on stdout.
 *
 * Commands are discovered from cli/commands/*.ts, one file per command exporting
 * `register(program: Command)`, so a new command is a new file and this one never needs editing
 * (several engineers add commands at the same time).
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_BAD_INPUT, reportError } from './output';

interface CommandModule {
  register(program: Command): void;
}

function isCommandModule(mod: unknown): mod is CommandModule {
  return (
    typeof mod === 'object' &&
    mod !== null &&
    'register' in mod &&
    typeof (mod as { register: unknown }).register === 'function'
  );
}

const COMMANDS_DIR = join(__dirname, 'commands');

async function registerAll(program: Command): Promise<void> {
  // Sorted so that help output and registration order do not depend on the file system.
  const files = readdirSync(COMMANDS_DIR)
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.(test|spec|d)\.(ts|js)$/.test(f))
    .sort();
  for (const f of files) {
    const mod: unknown = await import(join(COMMANDS_DIR, f));
    if (!isCommandModule(mod)) throw new Error(`cli/commands/${f} does not export register(program)`);
    mod.register(program);
  }
}

const USAGE_REASON = {
  kk: 'Команда дұрыс берілмеген; --help қараңыз',
  ru: 'Команда задана неверно; см. --help',
  en: 'The command line is not valid; see --help',
};

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('hpc')
    .description('Housing Provision Center (Order No. 130) developer tools; JSON on stdout')
    .exitOverride()
    // Commander's own error text is replaced by a JSON error below; help still goes to the terminal.
    .configureOutput({ outputError: () => undefined });
  await registerAll(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return;
      if (err.code === 'commander.help') {
        process.exitCode = err.exitCode;
        return;
      }
      reportError(new CliError('USAGE', USAGE_REASON, { details: err.message, exitCode: EXIT_BAD_INPUT }));
      return;
    }
    throw err;
  }
}

main(process.argv).catch(reportError);
