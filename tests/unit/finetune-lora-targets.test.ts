/** Which modules a lora_target_modules list wraps in an LFM2-VL or SmolVLM base (from config.json + the trainer's alias table), and the refusal of a list that wraps nothing (tests/trainer/lora-targets-parity.test.ts checks the same against the trainer on real models). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED_LORA_TARGETS } from '../../src/shared/finetune-types';
import { loraTargetsFor } from '../../src/main/finetunes/lora-targets';

// LFM2-VL-450M's shape: 16 text layers, attention at 2, 5, 8, 10, 12, 14 (the rest short convs); 12 SigLIP2 layers.
const ATTN = [2, 5, 8, 10, 12, 14];
const CONFIG = {
  model_type: 'lfm2_vl',
  text_config: { num_hidden_layers: 16, layer_types: Array.from({ length: 16 }, (_, i) => (ATTN.includes(i) ? 'full_attention' : 'conv')) },
  vision_config: { num_hidden_layers: 12 },
};

// SmolVLM-256M-Instruct's shape: a 30-layer Llama decoder, a 12-layer SigLIP encoder.
const SMOL = { model_type: 'smolvlm', text_config: { model_type: 'llama', num_hidden_layers: 30 }, vision_config: { num_hidden_layers: 12 } };

function base(config: object = CONFIG): string {
  const dir = mkdtempSync(join(tmpdir(), 'vcs-lora-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('LoRA targets for the chosen base', () => {
  it("maps the seeds' Llama names onto LFM2-VL's own modules, text and vision towers", () => {
    const { matches, wrapped } = loraTargetsFor(base(), SEED_LORA_TARGETS, true);
    const by = Object.fromEntries(matches.map((m) => [m.name, m.modules.map((x) => `${x.where} ×${x.count}`)]));
    expect(by.o_proj).toEqual(['text self_attn.out_proj ×6', 'vision self_attn.out_proj ×12']);
    expect(by.gate_proj).toEqual(['text feed_forward.w1 ×16']);
    expect(by.up_proj).toEqual(['text feed_forward.w3 ×16', 'vision mlp.fc1 ×12']);
    expect(by.down_proj).toEqual(['text feed_forward.w2 ×16', 'vision mlp.fc2 ×12']);
    // text: 6 attention layers × q/k/v/out + 16 × w1/w2/w3; vision: 12 × (q/k/v/out + fc1/fc2)
    expect(wrapped).toBe(6 * 4 + 16 * 3 + 12 * 6);
  });

  it('lora_vision: false keeps the vision tower out; in_proj/out_proj reach the short convs; linear_1 the projector', () => {
    expect(loraTargetsFor(base(), SEED_LORA_TARGETS, false).wrapped).toBe(6 * 4 + 16 * 3);
    const convs = loraTargetsFor(base(), ['in_proj', 'out_proj', 'linear_1'], false).matches;
    expect(convs.map((m) => m.modules.map((x) => `${x.where} ×${x.count}`))).toEqual([
      ['text conv.in_proj ×10'],
      ['text conv.out_proj ×10', 'text self_attn.out_proj ×6'],
      ['projector linear_1 ×1'],
    ]);
  });

  it('refuses a list that matches nothing, and a base the trainer does not know', () => {
    expect(() => loraTargetsFor(base(), ['c_attn', 'c_proj'], true)).toThrow('lora_target_modules [c_attn, c_proj] match no Linear module of LFM2-VL');
    expect(() => loraTargetsFor(base({ ...SMOL, model_type: 'idefics3' }), ['c_attn'], true)).toThrow('match no Linear module of SmolVLM');
    expect(() => loraTargetsFor(base({ model_type: 'qwen2_vl' }), ['q_proj'], true)).toThrow('supports LFM2-VL (lfm2_vl) and SmolVLM (smolvlm, idefics3)');
  });

  it("SmolVLM (SmolVLM-256M's shape): the Llama decoder keeps the seeds' names, the SigLIP tower takes the alias table, proj the connector", () => {
    const { matches, wrapped } = loraTargetsFor(base(SMOL), SEED_LORA_TARGETS, true);
    const by = Object.fromEntries(matches.map((m) => [m.name, m.modules.map((x) => `${x.where} ×${x.count}`)]));
    expect(by.q_proj).toEqual(['text self_attn.q_proj ×30', 'vision self_attn.q_proj ×12']);
    expect(by.o_proj).toEqual(['text self_attn.o_proj ×30', 'vision self_attn.out_proj ×12']);
    expect(by.gate_proj).toEqual(['text mlp.gate_proj ×30']);
    expect(by.up_proj).toEqual(['text mlp.up_proj ×30', 'vision mlp.fc1 ×12']);
    expect(by.down_proj).toEqual(['text mlp.down_proj ×30', 'vision mlp.fc2 ×12']);
    expect(wrapped).toBe(30 * 7 + 12 * 6);
    expect(loraTargetsFor(base(SMOL), SEED_LORA_TARGETS, false).wrapped).toBe(30 * 7);
    // LFM2's own names do not exist in a Llama decoder; the connector is reached by proj, not linear_1.
    const own = loraTargetsFor(base(SMOL), ['w1', 'in_proj', 'linear_1', 'proj', 'out_proj'], true).matches;
    expect(own.map((m) => m.modules.map((x) => `${x.where} ×${x.count}`))).toEqual([[], [], [], ['projector proj ×1'], ['vision self_attn.out_proj ×12']]);
    // A config.json without depths gets transformers' defaults (Llama 32 layers, the vision tower 12).
    expect(loraTargetsFor(base({ model_type: 'smolvlm' }), ['q_proj'], false).wrapped).toBe(32);
  });
});
