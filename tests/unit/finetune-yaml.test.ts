/** The seeds' fine-tune YAML (quoted from the reference walkthrough) imports onto the spec and exports byte for byte; moot keys come back as warnings. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { defaultHyperparams } from '../../src/shared/finetune-types';
import { exportFinetuneYaml, parseFinetuneYaml } from '../../src/main/finetunes/finetune-yaml';
import { REPO_ROOT } from '../support/assets';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'finetune', name), 'utf8');
/** Quoted from the reference walkthroughs: the cats-vs-dogs fine-tune config and the car-makers prompts (49 labels). */
const SEEDS = fixture('finetune_cats_vs_dogs.yaml');
const CARS = fixture('car_makers_prompts.yaml');

describe("seeds' fine-tune YAML", () => {
  it('maps every key: hyperparameters equal the seeds\' defaults, prompts and label order come through', () => {
    const c = parseFinetuneYaml(SEEDS);
    expect(c.hyperparams).toEqual(defaultHyperparams());
    expect(c.hyperparams.learning_rate).toBe(5e-4);
    expect(c.modelName).toBe('LiquidAI/LFM2-VL-450M');
    expect(c.datasetName).toBe('Paulescu/cats_vs_dogs');
    expect(c.labels).toEqual(['cat', 'dog']);
    expect(c.systemPrompt).toContain('You are a veterinarian');
    expect(c.userPrompt).toContain('- cat\n- dog');
  });

  it('says per key which ones the snapshot makes moot', () => {
    const fates = Object.fromEntries(parseFinetuneYaml(SEEDS).warnings.map((w) => [w.key, w.fate]));
    expect(fates).toEqual({
      model_name: 'mapped', dataset_name: 'moot', dataset_samples: 'moot', dataset_image_column: 'moot', dataset_label_colum: 'moot',
      train_split_ratio: 'moot', label_mapping: 'mapped', system_prompt: 'mapped', user_prompt: 'mapped',
    });
    const split = parseFinetuneYaml(SEEDS).warnings.find((w) => w.key === 'train_split_ratio');
    expect(split?.message).toContain("the snapshot's splits decide this");
  });

  it('exports the imported file verbatim (comments, blank lines, 5e-4, block prompts) when nothing changed', () => {
    const c = parseFinetuneYaml(SEEDS);
    const values = { modelName: c.modelName, labels: c.labels, systemPrompt: c.systemPrompt ?? '', userPrompt: c.userPrompt ?? '', hyperparams: c.hyperparams };
    expect(exportFinetuneYaml(values, SEEDS)).toBe(SEEDS);
  });

  it('the car-makers prompts (49 labels listed literally) import with default hyperparameters and export verbatim', () => {
    const c = parseFinetuneYaml(CARS);
    expect(c.hyperparams).toEqual(defaultHyperparams());
    expect(c.userPrompt?.match(/^- /gm)).toHaveLength(49);
    expect(c.warnings.map((w) => w.key)).toEqual(['system_prompt', 'user_prompt']);
    const values = { modelName: null, labels: null, systemPrompt: c.systemPrompt ?? '', userPrompt: c.userPrompt ?? '', hyperparams: c.hyperparams };
    expect(exportFinetuneYaml(values, CARS)).toBe(CARS);
  });

  it('a changed value is rewritten in place, everything else stays; a fresh export reads back to the same spec', () => {
    const c = parseFinetuneYaml(SEEDS);
    const values = { modelName: c.modelName, labels: ['dog', 'cat'], systemPrompt: c.systemPrompt ?? '', userPrompt: c.userPrompt ?? '', hyperparams: { ...c.hyperparams, lora_r: 16 } };
    const out = exportFinetuneYaml(values, SEEDS);
    const changed = out.split('\n').filter((l, i) => l !== SEEDS.split('\n')[i]);
    expect(changed).toEqual(['  0: dog', '  1: cat', 'lora_r: 16']);
    const fresh = exportFinetuneYaml(values);
    const back = parseFinetuneYaml(fresh);
    expect([back.hyperparams, back.labels, back.systemPrompt, back.userPrompt, back.modelName]).toEqual([values.hyperparams, values.labels, values.systemPrompt, values.userPrompt, values.modelName]);
    expect(Object.keys(parseDocument(fresh).toJS() as object)).not.toContain('lora_vision');
  });

  it('refuses unknown keys, a typo included, and full fine-tuning', () => {
    expect(() => parseFinetuneYaml('learning_rte: 1e-4\n')).toThrow('unknown key "learning_rte"');
    expect(() => parseFinetuneYaml('use_peft: false\n')).toThrow('use_peft');
    expect(() => parseFinetuneYaml('label_mapping: {0: cat, 2: dog}\n')).toThrow('label_mapping keys');
  });
});
