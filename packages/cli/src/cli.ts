/**
 * The `lowrank` command's router: parses the arguments, prints help, dispatches to the command's
 * module and turns errors into exit codes (2: bad input, named; 1: a bug, one line).
 */
import { LowrankError, type Backend } from '@lowrank/core';
import { parseCli, type CliOptions } from './args.ts';
import { baselineCommand, compareCommand, exportCommand, gateCommand, reportCommand } from './compare-cmd.ts';
import type { CliIO } from './context.ts';
import { helpText } from './help.ts';
import { infoCommand } from './info-cmd.ts';
import { browserCommand, repeatCommand, runCommand } from './run-cmd.ts';

export { DEFAULT_GOLDEN, type CliIO } from './context.ts';

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let o: CliOptions;
  try {
    o = parseCli(argv);
  } catch (e) {
    io.stderr.write(`lowrank: error: ${(e as Error).message}\n(see lowrank --help)\n`);
    return 2;
  }
  if (o.help) {
    io.stdout.write(helpText(o.command === 'help' ? o.args[0] : o.command));
    return 0;
  }
  const opened: Backend[] = [];
  try {
    if (o.command === 'info') return await infoCommand(o, io, opened);
    if (o.command === 'compare') return await compareCommand(o, io);
    if (o.command === 'gate') return await gateCommand(o, io);
    if (o.command === 'baseline') return await baselineCommand(o, io);
    if (o.command === 'export') return await exportCommand(o, io);
    if (o.command === 'report') return await reportCommand(o, io);
    if (o.repeats > 1 && (o.command === 'bench' || o.command === 'run'))
      return await repeatCommand(argv, o.repeats, io);
    if (o.browser) return await browserCommand(o, io);
    if (o.interleave !== undefined) return await (await import('./interleave-cmd.ts')).interleaveCommand(o, io, opened);
    return await runCommand(o, io, opened);
  } catch (e) {
    if (e instanceof LowrankError) {
      io.stderr.write(`lowrank: error: ${e.message}\n`);
      return 2;
    }
    // A bug, not bad input: one line (the stack with LOWRANK_DEBUG=1), exit 1.
    const debug =
      (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.LOWRANK_DEBUG === '1';
    io.stderr.write(
      `lowrank: internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}${debug && e instanceof Error ? `\n${e.stack}` : ' (LOWRANK_DEBUG=1 prints the stack)'}\n`,
    );
    return 1;
  } finally {
    await Promise.all(opened.map((b) => b.close()));
  }
}
