/** The architecture registry: one supported list, no model_type switches in generic code, and a new architecture is one module. */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { SUPPORTED_VLM_TYPES } from '../../src/shared/model-types';
import { inspectModelFolder } from '../../src/main/models/inspect-model-folder';
import {
  BUILT_IN_VLM_ARCHITECTURES,
  VlmError,
  decodeConstrained,
  decodeRaw,
  decodeScored,
  findVlmArchitecture,
  inspectModelDir,
  loadVlm,
  registerVlmArchitecture,
  supportedVlmTypes,
  vlmArchitectures,
  type PromptSpec,
  type VlmArchitecture,
} from '../../src/main/inference/vlm';
import { TEST_VLM_TYPE, testVlm } from './helpers/test-vlm-architecture';
import { OXFORD_PETS, assetFiles } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

afterAll(cleanupTempDirs);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Generic code that must ask the registry instead of naming an architecture. */
const GENERIC_DIRS = ['src/main/inference/vlm', 'src/main/models', 'src/main/evals'];

describe('architecture registry', () => {
  it('is the one supported list: SUPPORTED_VLM_TYPES equals the built-in modules, each model_type claimed once', () => {
    const types = BUILT_IN_VLM_ARCHITECTURES.flatMap((a) => a.modelTypes);
    expect([...SUPPORTED_VLM_TYPES]).toEqual(types);
    expect(supportedVlmTypes()).toEqual(types);
    expect(new Set(types).size).toBe(types.length);
    for (const t of types) expect(findVlmArchitecture(t)?.modelTypes).toContain(t);
    expect(findVlmArchitecture('qwen2_vl')).toBeUndefined();
  });

  it('generic engine and inspection code never names a model_type (only architectures/ does)', () => {
    const quoted = new RegExp(`['"\`](${SUPPORTED_VLM_TYPES.join('|')})['"\`]`);
    const offenders: string[] = [];
    for (const dir of GENERIC_DIRS) {
      for (const f of readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.ts'))) {
        if (quoted.test(readFileSync(join(ROOT, dir, f), 'utf8'))) offenders.push(`${dir}/${f}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('refuses a second module for a taken model_type and unregisters cleanly', () => {
    expect(() => registerVlmArchitecture({ ...testVlm, modelTypes: ['smolvlm'] })).toThrow(/already has an architecture/);
    expect(() => registerVlmArchitecture({ ...testVlm, modelTypes: [] })).toThrow(/no model_type/);
    const before = vlmArchitectures().length;
    const off = registerVlmArchitecture(testVlm);
    expect(vlmArchitectures()).toHaveLength(before + 1);
    off();
    expect(vlmArchitectures()).toHaveLength(before);
    expect(findVlmArchitecture(TEST_VLM_TYPE)).toBeUndefined();
  });
});

describe('a new architecture is one module', () => {
  const pets = join(OXFORD_PETS, 'cats');
  const image = join(pets, assetFiles(pets, 1)[0]);
  const prompt: PromptSpec = { system: 'You are a veterinarian.', user: 'Which animal?\n{{labels}}', labels: ['cat', 'dog'] };

  /** The tiny SmolVLM fixture with its config.json model_type rewritten to the test architecture's. */
  function testFixture(): string {
    const dir = join(makeTempDir(), 'model');
    cpSync(ensureTinyVlm('smolvlm', 1), dir, { recursive: true });
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, model_type: TEST_VLM_TYPE }));
    return dir;
  }

  it('is unsupported until its module is registered, then loads, inspects and decodes like the architecture it copies', async () => {
    const dir = testFixture();
    expect(() => inspectModelDir(dir)).toThrow(VlmError);
    expect((await inspectModelFolder(dir)).supported).toBe(false);

    const calls: string[] = [];
    const spied: VlmArchitecture = { ...testVlm, buildMessages: (p) => (calls.push('buildMessages'), testVlm.buildMessages(p)) };
    const unregister = registerVlmArchitecture(spied);
    try {
      const inspection = await inspectModelFolder(dir);
      expect(inspection).toMatchObject({ kind: 'vlm', architecture: TEST_VLM_TYPE, supported: true, problems: [] });
      expect(inspection.supportReason).toBe(`StudioTestVLM (${TEST_VLM_TYPE}), dtypes: fp32, q8`);
      expect(inspectModelDir(dir).architecture).toBe(spied);

      const ours = await loadVlm({ modelDir: dir });
      const base = await loadVlm({ modelDir: ensureTinyVlm('smolvlm', 1) });
      try {
        expect(ours.arch).toBe(TEST_VLM_TYPE);
        expect(ours.architecture).toBe(spied);
        expect(ours.tokenizer.decode([ours.endOfTurnId])).toBe('<end_of_utterance>');
        expect(ours.eosIds).toEqual(base.eosIds);
        expect(ours.answerPrefix).toBe(base.answerPrefix);
        const raw = await decodeRaw(ours, image, prompt, { maxNewTokens: 6 });
        expect(raw.tokenIds).toEqual((await decodeRaw(base, image, prompt, { maxNewTokens: 6 })).tokenIds);
        const constrained = await decodeConstrained(ours, image, prompt);
        expect(constrained.tokenIds).toEqual((await decodeConstrained(base, image, prompt)).tokenIds);
        const scored = await decodeScored(ours, image, prompt);
        const baseScored = await decodeScored(base, image, prompt);
        expect(scored.scores.map((s) => s.label)).toEqual(baseScored.scores.map((s) => s.label));
        scored.scores.forEach((s, i) => expect(s.logProb).toBeCloseTo(baseScored.scores[i].logProb, 5));
        expect(calls.length).toBeGreaterThanOrEqual(3);
      } finally {
        await ours.dispose();
        await base.dispose();
      }
    } finally {
      unregister();
    }
    expect(() => inspectModelDir(dir)).toThrow(/Unsupported model architecture "studio_test_vlm"/);
  });
});
