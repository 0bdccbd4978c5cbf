/** `studio models create-mini-vlm --name N`: builds and registers a mini-VLM base (MobileNetV2 + small LM) in the foreground; Ctrl-C cancels and leaves nothing behind. */
import { createMiniVlm } from '../finetunes/mini-vlm-create';
import type { Workspace } from '../workspace/workspace';
import { parseCommand, required, UsageError } from './args';

export async function cmdModels(ws: Workspace, argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const { values, positionals } = parseCommand(argv, { name: { type: 'string' } });
  if (positionals[0] !== 'create-mini-vlm') throw new UsageError(`unknown models subcommand "${positionals[0] ?? ''}" (known: create-mini-vlm)`);
  const name = required(values.name, 'name');
  const abort = new AbortController();
  const stop = () => {
    err('cancelling…');
    abort.abort();
  };
  process.once('SIGINT', stop);
  try {
    const model = await createMiniVlm(ws, name, { signal: abort.signal, onProgress: (v, m) => out(`[${Math.round(v * 100)}%] ${m}`) });
    out(`registered model #${model.id} "${model.name}" (${model.path})`);
    return 0;
  } catch (e) {
    if (abort.signal.aborted) {
      err('mini VLM creation cancelled; nothing was registered');
      return 1;
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
  }
}
