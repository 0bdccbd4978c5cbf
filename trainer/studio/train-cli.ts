/** `npm run train -- [--arch lfm2-vl|mini-vlm] --bundle <jsonl-chat export> --out <run> [--base <folder>] [--config f.yaml] [--mobilenet f.onnx] [--resume <checkpoint>]`: prepares inputs with the studio's processor, then runs the Python trainer. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePythonEnv } from '../../scripts/python-env.mjs';
import { ensureMiniBase } from './mini-base';
import { prepareTrainerInputs } from './prepare-inputs';

const TRAINER_DIR = resolve(import.meta.dirname, '..');
/** The real pretrained MobileNetV2 beside the clone (../shared/assets), the mini-VLM's default frozen encoder. */
const DEFAULT_MOBILENET = resolve(TRAINER_DIR, '..', '..', 'shared', 'assets', 'models', 'mobilenetv2-12-int8', 'mobilenetv2-12-int8.onnx');
/** The mini-VLM's tested default budget (148 steps on the 296-photo pets train split), used when --config is absent. */
const MINI_CONFIG = join(TRAINER_DIR, 'mini-vlm.yaml');
const USAGE = `usage: npm run train -- --bundle <jsonl-chat export> --out <run folder> [--config finetune.yaml] [--resume <run>/checkpoints/step-N]
  --arch lfm2-vl   (default) LoRA on an LFM2-VL or SmolVLM PyTorch folder (by its config.json model_type): --base <folder> required
  --arch mini-vlm  frozen MobileNetV2 + projector + small LFM2 LM with LoRA: [--base <folder>] (default: a seeded one
                   built in <out>/base; --config defaults to trainer/mini-vlm.yaml) [--mobilenet mobilenetv2-12-int8.onnx] [--untrained] (export without training)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      arch: { type: 'string', default: 'lfm2-vl' },
      base: { type: 'string' },
      bundle: { type: 'string' },
      out: { type: 'string' },
      config: { type: 'string' },
      mobilenet: { type: 'string' },
      untrained: { type: 'boolean', default: false },
      resume: { type: 'string' },
    },
  });
  const mini = values.arch === 'mini-vlm';
  if ((values.arch !== 'lfm2-vl' && !mini) || !values.bundle || !values.out || (!mini && !values.base)) {
    console.error(USAGE);
    return 2;
  }
  const python = ensurePythonEnv();
  const out = resolve(values.out);
  const base = mini ? ensureMiniBase(python, values.base ?? join(out, 'base')) : resolve(values.base ?? '');
  const inputs = join(out, 'inputs');
  const manifest = await prepareTrainerInputs(base, resolve(values.bundle), inputs);
  console.log(`prepared ${manifest.samples.length} samples (${manifest.labels.join(', ')}) in ${inputs}`);
  const args = ['-m', 'lfm2vl_trainer', mini ? 'mini' : 'train', '--base', base, '--inputs', inputs, '--out', out];
  const config = values.config ? resolve(values.config) : mini ? MINI_CONFIG : undefined;
  if (config) args.push('--config', config);
  if (mini) {
    const mobilenet = resolve(values.mobilenet ?? DEFAULT_MOBILENET);
    if (!existsSync(mobilenet)) throw new Error(`${mobilenet} not found: pass --mobilenet <mobilenetv2-12-int8.onnx>`);
    args.push('--mobilenet', mobilenet);
    if (values.untrained) args.push('--untrained');
  }
  if (values.resume) {
    const resume = resolve(values.resume);
    if (!existsSync(join(resume, 'state.json'))) throw new Error(`${resume} is not a complete checkpoint (no state.json): pass <out>/checkpoints/step-<N>`);
    args.push('--resume', resume);
  }
  const r = spawnSync(python, args, { cwd: TRAINER_DIR, stdio: 'inherit' });
  return r.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
