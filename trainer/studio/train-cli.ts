/** `npm run train -- --base <PyTorch LFM2-VL folder> --bundle <jsonl-chat export> --out <run> [--config f.yaml]`: prepares inputs with the studio's processor, then runs the Python trainer. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePythonEnv } from '../../scripts/python-env.mjs';
import { prepareTrainerInputs } from './prepare-inputs';

const TRAINER_DIR = resolve(import.meta.dirname, '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { base: { type: 'string' }, bundle: { type: 'string' }, out: { type: 'string' }, config: { type: 'string' } },
  });
  if (!values.base || !values.bundle || !values.out) {
    console.error('usage: npm run train -- --base <LFM2-VL PyTorch folder> --bundle <jsonl-chat export> --out <run folder> [--config finetune.yaml]');
    return 2;
  }
  const out = resolve(values.out);
  const inputs = join(out, 'inputs');
  const manifest = await prepareTrainerInputs(resolve(values.base), resolve(values.bundle), inputs);
  console.log(`prepared ${manifest.samples.length} samples (${manifest.labels.join(', ')}) in ${inputs}`);
  const args = ['-m', 'lfm2vl_trainer', 'train', '--base', resolve(values.base), '--inputs', inputs, '--out', out];
  if (values.config) args.push('--config', resolve(values.config));
  const r = spawnSync(ensurePythonEnv(), args, { cwd: TRAINER_DIR, stdio: 'inherit' });
  return r.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
