/** The New fine-tune form's pure logic: typed inputs → the spec main validates, per-field errors, server errors placed on their field, YAML import onto the form, Start's block reason. */
import { describe, expect, it } from 'vitest';
import { defaultHyperparams, finetuneSpecSchema } from '../../../src/shared/finetune-types';
import type { RegisteredModel } from '../../../src/shared/eval-types';
import { ADVANCED_HYPERPARAMS, applyImport, baseKindProblem, COMMON_HYPERPARAMS, fieldOfServerError, formToSpec, hyperparamInputs, initialForm, lenientHyperparams, parseHyperparams, specForValidation } from '../../../src/renderer/src/finetunes/new-finetune-state';
import { blockReason } from '../../../src/renderer/src/finetunes/start-bar';

const model = (id: number, name: string, over: Partial<RegisteredModel> = {}): RegisteredModel => ({
  id,
  name,
  kind: 'vlm',
  path: `/m/${name}`,
  architecture: 'lfm2_vl',
  defaultDtype: 'fp32',
  dtypes: ['fp32'],
  totalBytes: 1,
  provenance: { source: 'local' },
  createdAt: '2026-01-01T00:00:00Z',
  ...over,
});

const ready = () => ({ ...initialForm(), baseModelId: 3, versionId: 7 });

describe('formToSpec', () => {
  it('the untouched form is the seeds\' defaults, and main\'s schema accepts it as is', () => {
    const { spec, errors } = formToSpec(ready());
    expect(errors).toEqual({});
    expect(spec).not.toBeNull();
    expect(spec?.hyperparams).toEqual(defaultHyperparams());
    expect(spec?.backend).toEqual({ kind: 'local' });
    expect(spec?.labels).toBeNull();
    expect(spec?.evaluate).toEqual({ enabled: true, baselineRunId: null, mode: 'constrained' });
    expect(finetuneSpecSchema.safeParse(spec).success).toBe(true);
  });

  it('every hyperparameter key is shown once: common or under Advanced', () => {
    expect([...COMMON_HYPERPARAMS, ...ADVANCED_HYPERPARAMS].sort()).toEqual(Object.keys(defaultHyperparams()).sort());
    expect(COMMON_HYPERPARAMS).toContain('lora_target_modules');
    expect(ADVANCED_HYPERPARAMS).toContain('warmup_ratio');
  });

  it('typed text becomes numbers and lists; bad fields are named with the reason and no spec is made', () => {
    const f = ready();
    f.hp = { ...f.hp, learning_rate: '2e-4', lora_target_modules: 'q_proj,  v_proj\nout_proj', lora_r: '0', batch_size: 'four' };
    const { spec, errors } = formToSpec(f);
    expect(spec).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['batch_size', 'lora_r']);
    expect(errors.batch_size).toBe('a number');
    expect(errors.lora_r).toMatch(/>0|positive|too small/i);
    f.hp = { ...f.hp, lora_r: '16', batch_size: '4' };
    const ok = formToSpec(f);
    expect(ok.spec?.hyperparams).toMatchObject({ learning_rate: 2e-4, lora_target_modules: ['q_proj', 'v_proj', 'out_proj'], lora_r: 16 });
  });

  it('labels: blank = the snapshot\'s classes, otherwise an ordered list of at least two distinct valid labels', () => {
    expect(formToSpec({ ...ready(), labels: 'dog, cat' }).spec?.labels).toEqual(['dog', 'cat']);
    expect(formToSpec({ ...ready(), labels: 'dog' }).errors.labels).toContain('At least two');
    expect(formToSpec({ ...ready(), labels: 'dog, dog' }).errors.labels).toContain('twice');
    expect(formToSpec({ ...ready(), labels: 'dog, c\u202Eat' }).errors.labels).toContain('bidirectional');
  });

  it('the backend: SSH needs a host, Modal a timeout of 5..1440 whole minutes', () => {
    expect(formToSpec({ ...ready(), backend: 'ssh' }).errors.host).toBe('Pick or add an SSH host.');
    expect(formToSpec({ ...ready(), backend: 'ssh', hostId: 4 }).spec?.backend).toEqual({ kind: 'ssh', hostId: 4 });
    expect(formToSpec({ ...ready(), backend: 'modal', modalTimeout: '2' }).errors.modalTimeout).toBeDefined();
    expect(formToSpec({ ...ready(), backend: 'modal', modalGpu: 'H100', modalTimeout: '90' }).spec?.backend).toEqual({ kind: 'modal', gpu: 'H100', timeoutMinutes: 90 });
  });

  it('no base or snapshot, or an empty user prompt, are field errors; evaluation off drops the baseline', () => {
    const { errors } = formToSpec({ ...initialForm(), userPrompt: '  ' });
    expect(Object.keys(errors).sort()).toEqual(['base', 'snapshot', 'userPrompt']);
    expect(formToSpec({ ...ready(), evaluate: false, baselineRunId: 5 }).spec?.evaluate).toEqual({ enabled: false, baselineRunId: null, mode: 'constrained' });
    expect(formToSpec({ ...ready(), baselineRunId: 5, outputName: ' pets-r8 ' }).spec).toMatchObject({ outputName: 'pets-r8', evaluate: { baselineRunId: 5 } });
  });
});

describe('server errors and bases', () => {
  it('main\'s validation messages land on the field they are about', () => {
    expect(fieldOfServerError('lora_target_modules [c_attn] match no Linear module of LFM2-VL; use q_proj, …', 'tiny')).toBe('lora_target_modules');
    expect(fieldOfServerError('"tiny" (/m/tiny) has no PyTorch weights (model.safetensors); the trainer needs them', 'tiny')).toBe('base');
    expect(fieldOfServerError('snapshot "v1" has no train samples; assign splits before fine-tuning', 'tiny')).toBe('snapshot');
    expect(fieldOfServerError('the snapshot has samples labelled "bird", which the label list lacks', 'tiny')).toBe('labels');
    expect(fieldOfServerError('cannot read /x/config.json: ENOENT', 'tiny')).toBe('form');
  });

  it('LFM2-VL and SmolVLM VLMs are offered as bases (the rest say why)', () => {
    expect(baseKindProblem(model(1, 'lfm'))).toBeNull();
    expect(baseKindProblem(model(2, 'smol', { architecture: 'smolvlm' }))).toBeNull();
    expect(baseKindProblem(model(4, 'idefics', { architecture: 'idefics3' }))).toBeNull();
    expect(baseKindProblem(model(5, 'qwen', { architecture: 'qwen2_vl' }))).toContain('LFM2-VL and SmolVLM only');
    expect(baseKindProblem(model(3, 'mnv2', { kind: 'onnx-classifier', architecture: null }))).toContain('not a VLM');
  });

  it('Start\'s block reason: the first field error and how many more, then main\'s errors, then the host key', () => {
    const validation = { ok: true, errors: [], warnings: [], targets: [], wrappedCount: 6, trainSamples: 4, valSamples: 0, labels: ['cat', 'dog'] };
    expect(blockReason({ errors: { base: 'Pick the base model to fine-tune.', lora_r: 'x' }, general: [], validation, validating: false, hostKey: null })).toBe('Base model: Pick the base model to fine-tune. (and 1 more)');
    expect(blockReason({ errors: {}, general: [], validation: undefined, validating: true, hostKey: null })).toBe('Checking the settings…');
    expect(blockReason({ errors: {}, general: [], validation, validating: false, hostKey: 'Confirm the SSH host’s key first (Trust this key).' })).toContain('Trust this key');
    expect(blockReason({ errors: {}, general: [], validation, validating: false, hostKey: null })).toBeNull();
  });
});

describe('YAML import onto the form', () => {
  it('the seeds\' cats-vs-dogs config fills prompts, label order and hyperparameters; model_name finds the registered base by repo id', () => {
    // What finetunes:importYaml returns for tests/fixtures/finetune/finetune_cats_vs_dogs.yaml (the e2e spec imports the file itself).
    const text = 'model_name: LiquidAI/LFM2-VL-450M\nlabel_mapping:\n  0: "cat"\n  1: "dog"\n';
    const imp = {
      modelName: 'LiquidAI/LFM2-VL-450M',
      labels: ['cat', 'dog'],
      systemPrompt: 'You are a veterinarian specialized in analyzing pictures of cats and dogs\n',
      userPrompt: 'What animal in the following list is the one you see in the picture?\n\n- cat\n- dog\n',
      hyperparams: { ...defaultHyperparams(), learning_rate: 5e-4, gradient_accumulation_steps: 16 },
    };
    const models = [model(1, 'smol', { architecture: 'smolvlm' }), model(2, 'LFM2-VL-450M', { provenance: { source: 'hub', repoId: 'LiquidAI/LFM2-VL-450M' } })];
    const { patch, modelNote } = applyImport(imp, models, text);
    expect(patch.baseModelId).toBe(2);
    expect(modelNote).toContain('“LFM2-VL-450M”');
    expect(patch.labels).toBe('cat, dog');
    // Verbatim (trailing newline kept): an unchanged export rewrites nothing.
    expect(patch.systemPrompt).toBe(imp.systemPrompt);
    expect(patch.yamlSource).toBe(text);
    const hp = parseHyperparams({ ...ready(), ...patch }.hp);
    expect(hp.errors).toEqual({});
    expect(hp.value).toEqual(imp.hyperparams);
    expect(applyImport(imp, [], text).modelNote).toContain('is not a registered model');
    expect(applyImport({ ...imp, modelName: null }, models, text).patch.baseModelId).toBeUndefined();
    expect(hyperparamInputs(hp.value!).lora_target_modules).toBe('q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj');
  });

  it('while a field is wrong, main still validates the rest with that field at its default', () => {
    const f = { ...ready(), labels: 'dog', hp: { ...ready().hp, lora_r: '0', lora_target_modules: 'c_attn' } };
    expect(formToSpec(f).spec).toBeNull();
    const v = specForValidation(f);
    expect(v?.hyperparams).toMatchObject({ lora_r: 8, lora_target_modules: ['c_attn'] });
    expect(v?.labels).toBeNull();
    expect(specForValidation({ ...f, baseModelId: null })).toBeNull();
    expect(lenientHyperparams(ready().hp)).toEqual(defaultHyperparams());
  });
});
