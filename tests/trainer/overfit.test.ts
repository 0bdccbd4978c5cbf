/** Overfit + export parity: LoRA on 16 real pets photos in a real Python child process, then the studio's own engine evaluates the exported ONNX. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVlm } from '../../src/main/inference/vlm/load-vlm';
import { decodeConstrained } from '../../src/main/inference/vlm/decode-constrained';
import { decodeRaw } from '../../src/main/inference/vlm/decode-raw';
import { scoreLabelTokens } from '../../src/main/inference/vlm/decode-scored';
import { buildVlmInputs } from '../../src/main/inference/vlm/build-prompt';
import { labelTokenSequences } from '../../src/main/inference/vlm/label-tokens';
import type { VlmHandle } from '../../src/main/inference/vlm/types';
import { prepareTrainerInputs, type TrainerManifest } from '../../trainer/studio/prepare-inputs';
import { ensureTinyBase, makePetsBundle } from './fixtures';
import { runTrainerOk } from './python';

/** The fixed training budget: 16 samples × 18 epochs, one sample per optimizer step = 288 steps (seeds' LoRA settings, a higher learning rate). */
const BUDGET_YAML = `# overfit budget of the trainer test (seeds' keys)
seed: 23
learning_rate: 5e-3
num_train_epochs: 18
batch_size: 1
gradient_accumulation_steps: 1
optim: adamw_8bit
warmup_ratio: 0.1
weight_decay: 0.01
logging_steps: 16
eval_steps: 96
use_peft: true
lora_r: 8
lora_alpha: 16
lora_dropout: 0.05
lora_bias: none
use_rslora: false
lora_target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]
`;
const EXPECTED_STEPS = 288;

interface Figures {
  [key: string]: unknown;
}
const figures: Figures = {};

const trainSamples = (m: TrainerManifest) => m.samples.filter((s) => s.split === 'train');

async function constrainedAccuracy(modelDir: string, bundle: string, manifest: TrainerManifest): Promise<number> {
  const handle = await loadVlm({ modelDir });
  try {
    let right = 0;
    for (const s of trainSamples(manifest)) {
      const r = await decodeConstrained(handle, join(bundle, s.image), s.prompt);
      if (r.label === s.label) right++;
    }
    return right / trainSamples(manifest).length;
  } finally {
    await handle.dispose();
  }
}

describe('LFM2-VL LoRA trainer (Python child process) → ONNX export → studio eval engine', () => {
  let work: string;
  let bundle: string;
  let inputs: string;
  let manifest: TrainerManifest;
  let run: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vcs-trainer-run-'));
    const base = await ensureTinyBase();
    bundle = await makePetsBundle(10, 0.2); // 16 train (8 cat, 8 dog) + 4 val for eval_loss
    inputs = join(work, 'inputs');
    manifest = await prepareTrainerInputs(base, bundle, inputs);
    writeFileSync(join(work, 'config.yaml'), BUDGET_YAML);
    run = join(work, 'run');
    const trained = await runTrainerOk(['train', '--base', base, '--inputs', inputs, '--config', join(work, 'config.yaml'), '--out', run]);
    figures.train_process_seconds = trained.seconds;
    await runTrainerOk(['export', '--model', base, '--out', join(work, 'base-export')]);
  });

  afterAll(() => {
    console.log(`[trainer figures] ${JSON.stringify(figures)}`);
  });

  it('trains the stated budget and writes metrics.jsonl, train.log, adapter, merged weights and result.json with checksums', () => {
    const train = manifest.samples.filter((s) => s.split === 'train');
    expect(train.map((s) => s.label).sort()).toEqual([...Array(8).fill('cat'), ...Array(8).fill('dog')]);
    expect(manifest.samples.filter((s) => s.split === 'val').map((s) => s.label).sort()).toEqual(['cat', 'cat', 'dog', 'dog']);
    const metrics = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(metrics.at(-1)?.step).toBe(EXPECTED_STEPS);
    for (const m of metrics) for (const k of ['step', 'epoch', 'train_loss', 'lr', 'samples_per_s']) expect(typeof m[k]).toBe('number');
    expect(metrics.filter((m) => typeof m.eval_loss === 'number').map((m) => m.step)).toEqual([96, 192, 288]);
    expect(metrics.at(-1)!.train_loss).toBeLessThan(metrics[0].train_loss);
    const log = readFileSync(join(run, 'train.log'), 'utf8');
    expect(log).toContain("lora target 'o_proj' → text self_attn.out_proj, vision self_attn.out_proj");
    expect(log).toContain("lora target 'gate_proj' → text feed_forward.w1");
    expect(log).toContain('falling back to adamw_torch');
    const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8')) as { files: Record<string, string>; train_seconds: number; steps: number };
    expect(result.steps).toBe(EXPECTED_STEPS);
    for (const f of ['adapter/adapter_model.safetensors', 'merged/model.safetensors', 'export/onnx/decoder_model_merged.onnx', 'export/onnx/vision_encoder.onnx', 'export/onnx/embed_tokens.onnx']) {
      expect(result.files[f]).toMatch(/^[0-9a-f]{64}$/);
    }
    figures.train_seconds = result.train_seconds;
    figures.first_loss = metrics[0].train_loss;
    figures.last_loss = metrics.at(-1)!.train_loss;
  });

  it('sessions come from the merged weights: LoRA-touched sessions differ from the base export, embed_tokens (untouched) is identical', () => {
    const session = (root: string, name: string) => readFileSync(join(root, 'onnx', `${name}.onnx`));
    for (const name of ['decoder_model_merged', 'vision_encoder']) {
      expect(session(join(run, 'export'), name).equals(session(join(work, 'base-export'), name))).toBe(false);
    }
    expect(session(join(run, 'export'), 'embed_tokens').equals(session(join(work, 'base-export'), 'embed_tokens'))).toBe(true);
  });

  it('the studio eval engine (constrained mode) scores ≥ 0.9 on the 16 training photos after training', async () => {
    const before = await constrainedAccuracy(join(work, 'base-export'), bundle, manifest);
    const after = await constrainedAccuracy(join(run, 'export'), bundle, manifest);
    figures.accuracy_base = before;
    figures.accuracy_trained = after;
    expect(after).toBeGreaterThanOrEqual(0.9);
  }, 300_000);

  it('a session whose weights exceed the external-data threshold (forced to 0 here) loads from <name>.onnx_data with the same scores', async () => {
    const ext = join(work, 'base-export-external');
    await runTrainerOk(['export', '--model', await ensureTinyBase(), '--out', ext, '--external-data-over', '0']);
    const cfg = JSON.parse(readFileSync(join(ext, 'config.json'), 'utf8')) as Record<string, { use_external_data_format?: Record<string, number> }>;
    expect(cfg['transformers.js_config']?.use_external_data_format).toEqual({ 'vision_encoder.onnx': 1, 'embed_tokens.onnx': 1, 'decoder_model_merged.onnx': 1 });
    const scores = async (dir: string) => {
      const handle = await loadVlm({ modelDir: dir });
      try {
        const s = manifest.samples[0];
        const { inputs: feed } = await buildVlmInputs(handle, join(bundle, s.image), s.prompt);
        return await scoreLabelTokens(handle, feed, labelTokenSequences(handle, s.prompt.labels));
      } finally {
        await handle.dispose();
      }
    };
    expect(await scores(ext)).toEqual(await scores(join(work, 'base-export')));
  });

  it('export parity: studio ONNX vs PyTorch merged weights, per-label log-probs within 1e-3 and the same greedy tokens', async () => {
    const ref = join(work, 'torch-scores.json');
    await runTrainerOk(['score', '--model', join(run, 'merged'), '--inputs', inputs, '--out', ref, '--max-new-tokens', '8']);
    const torch = JSON.parse(readFileSync(ref, 'utf8')) as { samples: { label_token_logprobs: number[][]; greedy: number[] }[] };
    const handle: VlmHandle = await loadVlm({ modelDir: join(run, 'export') });
    let maxDiff = 0;
    let compared = 0;
    try {
      for (const [i, s] of manifest.samples.entries()) {
        const sequences = labelTokenSequences(handle, s.prompt.labels);
        expect(sequences).toEqual(manifest.label_token_ids);
        const { inputs: feed } = await buildVlmInputs(handle, join(bundle, s.image), s.prompt);
        const studio = await scoreLabelTokens(handle, feed, sequences);
        studio.forEach((lps, l) =>
          lps.forEach((lp, k) => {
            maxDiff = Math.max(maxDiff, Math.abs(lp - torch.samples[i].label_token_logprobs[l][k]));
            compared++;
          }),
        );
        const raw = await decodeRaw(handle, join(bundle, s.image), s.prompt, { maxNewTokens: 8 });
        expect(raw.tokenIds).toEqual(torch.samples[i].greedy);
      }
    } finally {
      await handle.dispose();
    }
    figures.parity_max_abs_logprob_diff = maxDiff;
    figures.parity_values_compared = compared;
    expect(compared).toBeGreaterThan(0);
    expect(maxDiff).toBeLessThan(1e-3);
  }, 300_000);
});
