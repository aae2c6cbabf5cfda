/** Entry point of the guichet command (bin/guichet.js, or `tsx src/cli/main.ts`). */
import { runCli } from './run.ts';

const code = await runCli(process.argv.slice(2));
if (code !== 'running') {
  process.exitCode = code;
  // Nothing should be left running; if something is (an open handle), do not hang the operator's shell.
  setTimeout(() => process.exit(code), 2000).unref();
}
