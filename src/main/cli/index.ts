/** `npm run studio -- <command>`: headless entry point over the studio core, for scripts and CI. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openWorkspace, type Workspace } from '../workspace/workspace';
import { UsageError } from './args';
import { cmdExport, cmdImport, cmdList, cmdSnapshot, cmdSplit } from './commands';
import { cmdEval } from './eval-command';
import { cmdFinetune } from './finetune-command';
import { cmdModels } from './models-command';
import { cmdFind } from './find-command';
import { cmdRuntime } from './runtime-command';
import { USAGE, isCommandName, usageOf, wantsHelp } from './usage';

function workspaceArg(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--workspace' || a === '-w');
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith('--workspace='));
  return eq?.slice('--workspace='.length) ?? process.env.STUDIO_WORKSPACE;
}

export async function main(argv: string[], out = console.log, err = console.error): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    out(command === 'help' ? usageOf(rest[0] ?? '') : USAGE);
    return command ? 0 : 2;
  }
  if (wantsHelp(rest) && isCommandName(command)) {
    out(usageOf(command));
    return 0;
  }
  if (command === 'runtime') {
    try {
      return await cmdRuntime(rest, out, err);
    } catch (e) {
      err(`error: ${(e as Error).message}`);
      return e instanceof UsageError ? 2 : 1;
    }
  }
  const wsDir = workspaceArg(rest);
  if (!wsDir) {
    err('error: missing --workspace <dir>\n\n' + USAGE);
    return 2;
  }
  let ws: Workspace;
  try {
    ws = openWorkspace(resolve(wsDir));
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return 1;
  }
  try {
    switch (command) {
      case 'import':
        return await cmdImport(ws, rest, out, err);
      case 'list':
        return cmdList(ws, rest, out);
      case 'split':
        return cmdSplit(ws, rest, out);
      case 'snapshot':
        return cmdSnapshot(ws, rest, out);
      case 'export':
        return await cmdExport(ws, rest, out, err);
      case 'eval':
        return await cmdEval(ws, rest, out, err);
      case 'finetune':
        return await cmdFinetune(ws, rest, out, err);
      case 'models':
        return await cmdModels(ws, rest, out, err);
      case 'find':
        return await cmdFind(ws, rest, out, err);
      default:
        err(`error: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    err(`error: ${(e as Error).message}${e instanceof UsageError ? `\n\n${USAGE}` : ''}`);
    return e instanceof UsageError ? 2 : 1;
  } finally {
    ws.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
