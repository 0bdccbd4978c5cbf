/** Prompt store on a real workspace: numbered versions, run links (saved or ad-hoc by exact text), label descriptions, form settings, quick-try plans. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import type { CreateEvalParams, RegisteredModel } from '../../src/shared/eval-types';
import { settingsFromRun } from '../../src/shared/eval-form-settings';
import { DEFAULT_SYSTEM_PROMPT, DEFAULT_USER_PROMPT } from '../../src/shared/prompt-template';
import { createEvalRun } from '../../src/main/evals/eval-plan';
import { getEvalRun, listEvalRuns } from '../../src/main/evals/eval-store';
import { stmt } from '../../src/main/db/statement-cache';
import { registerModel } from '../../src/main/models/model-registry';
import { getPrompt, getPromptVersion, listPromptVersions, listPrompts, resolvePromptVersion, savePromptVersion } from '../../src/main/prompts/prompt-store';
import { parseEvalConfig } from '../../src/main/evals/eval-config';
import { exportEvalConfig, resolveEvalConfig } from '../../src/main/evals/eval-config-resolve';
import { loadEvalFormSettings, saveEvalFormSettings } from '../../src/main/prompts/eval-form-settings';
import { planPromptTry, promptTryPickables } from '../../src/main/prompts/prompt-try-plan';
import { versionSamples } from '../../src/main/versions/snapshot';
import { makePetsWorkspace, type PetsWorkspace } from './eval-fixture';

let pw: PetsWorkspace;
let vlm: RegisteredModel;

const params = (over: Partial<CreateEvalParams> = {}): CreateEvalParams => ({
  name: 'r',
  versionId: pw.version.id,
  split: 'all',
  modelId: vlm.id,
  mode: 'raw',
  seed: 3,
  nSamples: 4,
  ...over,
});

beforeAll(async () => {
  pw = await makePetsWorkspace(4);
  vlm = await registerModel(pw.db, ensureTinyVlm('lfm2-vl', 1), { name: 'tiny-lfm2' });
});
afterAll(() => pw?.cleanup());

describe('prompt store', () => {
  it('saves named prompts as numbered versions; an unchanged save adds no version; names are unique and "unsaved" is reserved', () => {
    const v1 = savePromptVersion(pw.db, { name: 'cats-dogs', systemPrompt: 'S', userPrompt: 'Which?\n{{labels}}' });
    expect(v1).toMatchObject({ created: true, version: { number: 1, displayName: 'cats-dogs v1', adHoc: false, runCount: 0 } });
    const v2 = savePromptVersion(pw.db, { promptId: v1.version.promptId, systemPrompt: 'S', userPrompt: 'Which one?\n{{labels}}', note: 'shorter' });
    expect(v2).toMatchObject({ created: true, version: { number: 2, displayName: 'cats-dogs v2', note: 'shorter' } });
    const same = savePromptVersion(pw.db, { promptId: v1.version.promptId, systemPrompt: 'S', userPrompt: 'Which one?\n{{labels}}' });
    expect(same).toEqual({ created: false, version: v2.version });
    expect(() => savePromptVersion(pw.db, { name: 'Cats-Dogs', systemPrompt: '', userPrompt: 'x' })).toThrow(/already exists/);
    expect(() => savePromptVersion(pw.db, { name: 'unsaved', systemPrompt: '', userPrompt: 'x' })).toThrow(/reserved/);
    expect(() => savePromptVersion(pw.db, { name: 'empty', systemPrompt: 'S', userPrompt: '  ' })).toThrow(/empty/);
    expect(() => savePromptVersion(pw.db, { promptId: 999, systemPrompt: 'S', userPrompt: 'x' })).toThrow(/not found/);
    const detail = getPrompt(pw.db, v1.version.promptId);
    expect(detail.versions.map((v) => v.number)).toEqual([2, 1]);
    expect(listPrompts(pw.db).find((p) => p.name === 'cats-dogs')).toMatchObject({ versionCount: 2, latest: { number: 2 } });
  });

  it('expands {{label_descriptions}} into the stored run text and keeps {{labels}} for the run', async () => {
    const { version } = savePromptVersion(pw.db, {
      name: 'described',
      systemPrompt: 'S',
      userPrompt: 'Labels:\n{{label_descriptions}}\n\n{{labels}}',
      labelDescriptions: { cat: ' a small feline ', dog: 'a canine', bird: '' },
    });
    expect(version.labelDescriptions).toEqual({ cat: 'a small feline', dog: 'a canine' });
    expect(version.expandedUserPrompt).toBe('Labels:\n- cat: a small feline\n- dog: a canine\n\n{{labels}}');
    const run = await createEvalRun(pw.db, params({ name: 'described', promptVersionId: version.id }));
    expect(run).toMatchObject({ systemPrompt: 'S', userPrompt: version.expandedUserPrompt, promptVersionId: version.id, promptVersionName: 'described v1' });
  });

  it('links every VLM run: to the version it names, to a saved version with the same text, else to an ad-hoc "unsaved" version', async () => {
    const v2 = listPromptVersions(pw.db).find((v) => v.displayName === 'cats-dogs v2')!;
    const byId = await createEvalRun(pw.db, params({ name: 'by id', promptVersionId: v2.id }));
    expect(byId).toMatchObject({ promptVersionId: v2.id, promptVersionName: 'cats-dogs v2', userPrompt: 'Which one?\n{{labels}}' });
    // Raw text equal to a saved version (the CLI/YAML path) links to that saved version.
    const byText = await createEvalRun(pw.db, params({ name: 'by text', systemPrompt: 'S', userPrompt: 'Which one?\n{{labels}}' }));
    expect(byText.promptVersionId).toBe(v2.id);
    // The defaults and an unsaved edit become ad-hoc versions, found again by exact content.
    const defaults = await createEvalRun(pw.db, params({ name: 'defaults' }));
    const again = await createEvalRun(pw.db, params({ name: 'defaults again', mode: 'scored' }));
    const edited = await createEvalRun(pw.db, params({ name: 'edited', systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: `${DEFAULT_USER_PROMPT} ` }));
    expect(defaults.promptVersionName).toBe('unsaved v1');
    expect(again.promptVersionId).toBe(defaults.promptVersionId);
    expect(edited.promptVersionName).toBe('unsaved v2');
    expect(getPromptVersion(pw.db, defaults.promptVersionId!)).toMatchObject({ adHoc: true, systemPrompt: DEFAULT_SYSTEM_PROMPT, userPrompt: DEFAULT_USER_PROMPT, runCount: 2 });
    expect(listPromptVersions(pw.db, { includeAdHoc: false }).every((v) => !v.adHoc)).toBe(true);
    // Ad-hoc texts cannot be "versioned" under the reserved prompt.
    expect(() => savePromptVersion(pw.db, { promptId: getPromptVersion(pw.db, defaults.promptVersionId!).promptId, systemPrompt: 'x', userPrompt: 'y' })).toThrow(/save under a prompt name/);
    // A version plus a differing text is refused (nothing inserted); a classifier run has no version.
    const count = listEvalRuns(pw.db).length;
    await expect(createEvalRun(pw.db, params({ name: 'mismatch', promptVersionId: v2.id, userPrompt: 'other {{labels}}' }))).rejects.toThrow(/differs from cats-dogs v2/);
    await expect(createEvalRun(pw.db, params({ name: 'gone', promptVersionId: 9999 }))).rejects.toThrow(/not found/);
    expect(listEvalRuns(pw.db)).toHaveLength(count);
    const cls = await createEvalRun(pw.db, params({ name: 'cls', modelId: pw.model.id, mode: 'classifier', classMapping: 'imagenet-cats-vs-dogs' }));
    expect([cls.promptVersionId, cls.promptVersionName]).toEqual([null, null]);
    // Every VLM run in the workspace has its link.
    const unlinked = stmt(pw.db, `SELECT COUNT(*) FROM eval_runs WHERE mode <> 'classifier' AND prompt_version_id IS NULL`).pluck(true).get();
    expect(unlinked).toBe(0);
  });

  it('remembers the New eval form per dataset and turns a run into the same settings ("Rerun with changes")', async () => {
    expect(loadEvalFormSettings(pw.db, pw.datasetId)).toBeNull();
    const run = await createEvalRun(pw.db, params({ name: 'to rerun', mode: 'constrained', seed: 41, nSamples: 3, promptVersionId: listPromptVersions(pw.db)[0].id }));
    const settings = settingsFromRun(getEvalRun(pw.db, run.id));
    expect(settings).toMatchObject({ mode: 'constrained', seed: '41', nSamples: '3', split: 'all', versionId: pw.version.id, modelId: vlm.id, promptVersionId: run.promptVersionId, dtype: 'q8' });
    saveEvalFormSettings(pw.db, pw.datasetId, settings);
    expect(loadEvalFormSettings(pw.db, pw.datasetId)).toEqual(settings);
    saveEvalFormSettings(pw.db, pw.datasetId, { ...settings, seed: '7' });
    expect(loadEvalFormSettings(pw.db, pw.datasetId)?.seed).toBe('7');
    expect(() => saveEvalFormSettings(pw.db, pw.datasetId, { ...settings, mode: 'beam' as 'raw' })).toThrow();
    expect(() => loadEvalFormSettings(pw.db, 999)).toThrow(/not found/);
  });

  it('plans a quick try: the seeded first n of a split, or a run\'s mistakes, with image files and the snapshot classes as labels', () => {
    const req = { versionId: pw.version.id, modelId: vlm.id, mode: 'raw' as const, device: 'cpu' as const, dtype: null, systemPrompt: 'S', userPrompt: 'Q {{labels}}' };
    const plan = planPromptTry(pw.db, { ...req, source: { kind: 'sample', split: 'all', seed: 3, count: 3 } });
    expect(plan).toMatchObject({ modelName: 'tiny-lfm2', dtype: 'q8', labels: ['cat', 'dog'] });
    expect(plan.samples).toHaveLength(3);
    // Same seed → the same first rows as an eval of that seed.
    const evalRows = stmt(pw.db, `SELECT sample_id FROM eval_samples WHERE run_id = (SELECT id FROM eval_runs WHERE name = 'by id') ORDER BY position LIMIT 3`).pluck(true).all();
    expect(plan.samples.map((s) => s.sampleId)).toEqual(evalRows);
    // Mistakes: mark two finished rows of a run wrong, one right.
    const runId = stmt(pw.db, `SELECT id FROM eval_runs WHERE name = 'by id'`).pluck(true).get() as number;
    stmt(pw.db, `UPDATE eval_samples SET done = 1, prediction = CASE WHEN position = 1 THEN truth ELSE NULL END WHERE run_id = ? AND position < 3`).run(runId);
    const mistakes = planPromptTry(pw.db, { ...req, source: { kind: 'mistakes', runId, count: 5 } });
    expect(mistakes.samples.map((s) => s.sampleId)).toEqual([evalRows[0], evalRows[2]]);
    const clsRun = stmt(pw.db, `SELECT id FROM eval_runs WHERE name = 'cls'`).pluck(true).get() as number;
    expect(() => planPromptTry(pw.db, { ...req, source: { kind: 'mistakes', runId: clsRun, count: 5 } })).toThrow(/no mistakes/);
    expect(() => planPromptTry(pw.db, { ...req, modelId: pw.model.id, source: { kind: 'sample', split: 'all', seed: 1, count: 1 } })).toThrow(/vision-language/);
    expect(() => planPromptTry(pw.db, { ...req, source: { kind: 'ids', sampleIds: [99999] } })).toThrow(/not in this snapshot/);
  });

  it('offers a split\'s samples to pick, and a try on picked ids answers exactly those, in the order picked', () => {
    const rows = versionSamples(pw.db, pw.version.id);
    const all = promptTryPickables(pw.db, pw.version.id, 'all');
    expect(all.total).toBe(rows.length);
    expect(all.samples).toEqual(rows.map((r) => ({ sampleId: r.sampleId, label: r.label, originalPath: r.originalPath })));
    const split = rows.find((r) => r.split !== null)!.split!;
    expect(promptTryPickables(pw.db, pw.version.id, split).samples.map((s) => s.sampleId)).toEqual(rows.filter((r) => r.split === split).map((r) => r.sampleId));
    const picked = [rows.at(-1)!.sampleId, rows[1].sampleId];
    const req = { versionId: pw.version.id, modelId: vlm.id, mode: 'raw' as const, device: 'cpu' as const, dtype: null, systemPrompt: 'S', userPrompt: 'Q {{labels}}' };
    const plan = planPromptTry(pw.db, { ...req, source: { kind: 'ids', sampleIds: picked } });
    expect(plan.samples.map((s) => [s.sampleId, s.truth])).toEqual([
      [rows.at(-1)!.sampleId, rows.at(-1)!.label],
      [rows[1].sampleId, rows[1].label],
    ]);
    expect(() => promptTryPickables(pw.db, 99999, 'all')).toThrow(/not found/);
  });

  it('names versions as people write them in YAML and the CLI ("cats-dogs v1", or the name for the newest), and exports them back', async () => {
    expect(resolvePromptVersion(pw.db, 'cats-dogs v1').displayName).toBe('cats-dogs v1');
    expect(resolvePromptVersion(pw.db, ' CATS-DOGS ').displayName).toBe('cats-dogs v2');
    expect(() => resolvePromptVersion(pw.db, 'cats-dogs v9')).toThrow(/No prompt version "cats-dogs v9" \(prompts: cats-dogs \(v1–v2\), described/);
    const yaml = `model: tiny-lfm2\ndataset: pets\nmode: scored\nseed: 4\nn_samples: 2\nprompt_version: cats-dogs v1\n`;
    const params = await resolveEvalConfig(pw.db, parseEvalConfig(yaml));
    const run = await createEvalRun(pw.db, params);
    expect(run).toMatchObject({ promptVersionName: 'cats-dogs v1', systemPrompt: 'S', userPrompt: 'Which?\n{{labels}}' });
    const exported = exportEvalConfig(pw.db, run.id);
    expect(exported).toContain('prompt_version: cats-dogs v1');
    // The export parses back to the same run parameters (texts and version agree).
    const again = await createEvalRun(pw.db, await resolveEvalConfig(pw.db, parseEvalConfig(exported)));
    expect([again.promptVersionId, again.userPrompt]).toEqual([run.promptVersionId, run.userPrompt]);
    // A version and a text that disagree are refused.
    const clash = `${yaml}user_prompt: "Something else {{labels}}"\n`;
    await expect(createEvalRun(pw.db, await resolveEvalConfig(pw.db, parseEvalConfig(clash)))).rejects.toThrow(/differs from cats-dogs v1/);
  });
});
