/** SmolVLM (Idefics3 layout) LoRA: the same trainer CLI on a tiny real-class SmolVLM, 16 real pets photos, the studio's engine on the export, and export parity. */
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
import { prepareTrainerInputs, type TrainerManifest } from '../../trainer/studio/prepare-inputs';
import { ensureTinySmolBase, makePetsBundle } from './fixtures';
import { runTrainerOk } from './python';

/** 16 samples × 18 epochs, one sample per optimizer step = 288 steps (the seeds' LoRA settings and target names, a higher learning rate). */
const BUDGET_YAML = `# overfit budget of the SmolVLM trainer test (seeds' keys)
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
lora_r: 8
lora_alpha: 16
lora_dropout: 0.05
lora_target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]
`;
const EXPECTED_STEPS = 288;

const figures: Record<string, unknown> = {};
const trainSamples = (m: TrainerManifest) => m.samples.filter((s) => s.split === 'train');

async function constrainedAccuracy(modelDir: string, bundle: string, manifest: TrainerManifest): Promise<number> {
  const handle = await loadVlm({ modelDir });
  try {
    expect(handle.architecture.displayName).toBe('SmolVLM');
    let right = 0;
    for (const s of trainSamples(manifest)) if ((await decodeConstrained(handle, join(bundle, s.image), s.prompt)).label === s.label) right++;
    return right / trainSamples(manifest).length;
  } finally {
    await handle.dispose();
  }
}

describe('SmolVLM LoRA trainer (python -m lfm2vl_trainer train, dispatched on model_type) → Idefics3-layout ONNX → studio eval engine', () => {
  let work: string;
  let bundle: string;
  let inputs: string;
  let manifest: TrainerManifest;
  let run: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vcs-smolvlm-run-'));
    const base = await ensureTinySmolBase();
    bundle = await makePetsBundle(10, 0.2); // 16 train (8 cat, 8 dog) + 4 val
    inputs = join(work, 'inputs');
    manifest = await prepareTrainerInputs(base, bundle, inputs);
    writeFileSync(join(work, 'config.yaml'), BUDGET_YAML);
    run = join(work, 'run');
    figures.train_process_seconds = (await runTrainerOk(['train', '--base', base, '--inputs', inputs, '--config', join(work, 'config.yaml'), '--out', run])).seconds;
    await runTrainerOk(['export', '--model', base, '--out', join(work, 'base-export')]);
  });

  afterAll(() => console.log(`[smolvlm trainer figures] ${JSON.stringify(figures)}`));

  it("prepares the SmolVLM processor's tensors (5-D frames + bool mask) and answer tokens with the ' ' prefix and <end_of_utterance>", () => {
    const s = manifest.samples[0];
    expect(Object.keys(s.files).sort()).toEqual(['input_ids', 'pixel_attention_mask', 'pixel_values']);
    expect(manifest.label_token_ids).toHaveLength(2);
    expect(s.target_ids.at(-1)).toBe(manifest.end_of_turn_id);
    expect(manifest.eos_ids).toContain(manifest.end_of_turn_id);
  });

  it('trains the stated budget with the seeds’ Llama target names wrapping text and vision modules directly', () => {
    const metrics = readFileSync(join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(metrics.at(-1)?.step).toBe(EXPECTED_STEPS);
    expect(metrics.filter((m) => typeof m.eval_loss === 'number').map((m) => m.step)).toEqual([96, 192, 288]);
    expect(metrics.at(-1)!.train_loss).toBeLessThan(metrics[0].train_loss);
    const log = readFileSync(join(run, 'train.log'), 'utf8');
    expect(log).toContain('SmolVLM (smolvlm)');
    expect(log).toContain("lora target 'o_proj' → text self_attn.o_proj, vision self_attn.out_proj");
    expect(log).toContain("lora target 'gate_proj' → text mlp.gate_proj");
    expect(log).toContain("lora target 'up_proj' → text mlp.up_proj, vision mlp.fc1");
    const result = JSON.parse(readFileSync(join(run, 'result.json'), 'utf8')) as { files: Record<string, string>; train_seconds: number; steps: number };
    expect(result.steps).toBe(EXPECTED_STEPS);
    for (const f of ['adapter/adapter_model.safetensors', 'merged/model.safetensors', 'export/onnx/decoder_model_merged.onnx', 'export/onnx/vision_encoder.onnx', 'export/onnx/embed_tokens.onnx', 'export/processor_config.json']) {
      expect(result.files[f]).toMatch(/^[0-9a-f]{64}$/);
    }
    figures.train_seconds = result.train_seconds;
    figures.first_loss = metrics[0].train_loss;
    figures.last_loss = metrics.at(-1)!.train_loss;
  });

  it('the export is built from the merged weights: LoRA-touched sessions differ from the base export, embed_tokens is identical', () => {
    const session = (root: string, name: string) => readFileSync(join(root, 'onnx', `${name}.onnx`));
    for (const name of ['decoder_model_merged', 'vision_encoder']) expect(session(join(run, 'export'), name).equals(session(join(work, 'base-export'), name))).toBe(false);
    expect(session(join(run, 'export'), 'embed_tokens').equals(session(join(work, 'base-export'), 'embed_tokens'))).toBe(true);
  });

  it('the studio eval engine (constrained mode) scores ≥ 0.9 on the 16 training photos after training (base: near chance)', async () => {
    figures.accuracy_base = await constrainedAccuracy(join(work, 'base-export'), bundle, manifest);
    figures.accuracy_trained = await constrainedAccuracy(join(run, 'export'), bundle, manifest);
    expect(figures.accuracy_trained).toBeGreaterThanOrEqual(0.9);
    expect(figures.accuracy_base).toBeLessThanOrEqual(0.75);
  }, 300_000);

  it('export parity: studio ONNX vs PyTorch merged weights on the same processor tensors, per-label log-probs within 1e-3 and the same greedy tokens', async () => {
    const ref = join(work, 'torch-scores.json');
    await runTrainerOk(['score', '--model', join(run, 'merged'), '--inputs', inputs, '--out', ref, '--max-new-tokens', '8']);
    const torch = JSON.parse(readFileSync(ref, 'utf8')) as { samples: { label_token_logprobs: number[][]; greedy: number[] }[] };
    const handle = await loadVlm({ modelDir: join(run, 'export') });
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
