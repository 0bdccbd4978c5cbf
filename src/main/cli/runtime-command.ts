/** `studio runtime list | install cuda`: execution providers in plain language, and the opt-in CUDA runtime download. */
import { PROVIDER_STATE_LABELS, RUNTIME_NAMES, type RuntimeName } from '../../shared/runtime-types';
import { detectDevices } from '../runtime/provider-status';
import { installCudaRuntime } from '../runtime/install-cuda-runtime';
import { UsageError, parseCommand, progressPrinter } from './args';
import type { Out } from './commands';

export async function cmdRuntime(argv: string[], out: Out, err: Out): Promise<number> {
  const { values, positionals } = parseCommand(argv, { details: { type: 'boolean' } });
  const [action, name] = positionals;
  if (action === 'list' || action === undefined) {
    for (const d of await detectDevices()) {
      out(`${d.device.padEnd(7)} ${PROVIDER_STATE_LABELS[d.state].padEnd(32)} ${d.reason ?? ''}`.trimEnd());
      if (values.details && d.details) out(`        details: ${d.details.split('\n').join('\n                 ')}`);
    }
    return 0;
  }
  if (action === 'install') {
    if (!RUNTIME_NAMES.includes(name as RuntimeName)) throw new UsageError(`runtime install takes one of: ${RUNTIME_NAMES.join(', ')}`);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const files = await installCudaRuntime({ onProgress: progressPrinter(err), signal: controller.signal });
      out(`CUDA runtime installed: ${files.join(', ')}`);
      const cuda = (await detectDevices()).find((d) => d.device === 'cuda');
      if (cuda) out(`cuda: ${PROVIDER_STATE_LABELS[cuda.state]}${cuda.reason ? ` — ${cuda.reason}` : ''}`);
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
    }
  }
  throw new UsageError(`unknown runtime action "${action}" (list | install cuda)`);
}
