/**
 * Prompt lab as a user drives it (browser host + headless chromium, real cats-vs-dogs photos, a tiny LFM2-VL):
 * save a prompt, quick-try and save its v2, diff v1 against v2, run an eval with v1, "Rerun with changes" opens the form with the
 * run's configuration, switch to v2 and run, filter the runs table by version, quick-try a draft inline,
 * and quick-try it on samples picked from the split's thumbnails.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { PromptVersion } from '../../src/shared/prompt-types';
import type { PromptTryPickables } from '../../src/shared/prompt-try';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { seedPets, type SeededPets } from './support/eval-setup';
import { copyPetsSpread } from '../fixtures/real-photos';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const V1_USER = 'Which animal is in this photo?\n{{labels}}\nAnswer with one label.';
const V2_USER = 'Look at the animal in the photo.\nIs it one of these?\n{{labels}}\nAnswer with one label.';

describe('prompt lab (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  let tiny: RegisteredModel;
  let v1: PromptVersion;
  let v2: PromptVersion;
  let firstRun: EvalRun;
  let secondRun: EvalRun;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `prompt-lab-${name}.png`), fullPage: false });
  const versions = async () => (await seeded.call('prompts:versions', {})) as PromptVersion[];
  const getRun = async (runId: number) => (await seeded.call('evals:get', { runId })) as EvalRun;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-prompt-lab-e2e-'));
    copyPetsSpread(join(tmp, 'pets'), 6);
    studio = await launchStudio({ workspaceDir: join(tmp, 'workspace'), viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    tiny = (await seeded.call('models:register', { path: ensureTinyVlm('lfm2-vl', 1), name: 'tiny lfm2-vl' })) as RegisteredModel;
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('dataset-title').waitFor();
  }, 180_000);

  afterAll(async () => {
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('saves a prompt, then its v2, and diffs v1 against v2 line by line', async () => {
    const { page } = studio;
    await page.getByTestId('section-evals').click();
    await page.getByTestId('prompts-open').click();
    await page.getByTestId('prompts-screen').waitFor();
    await page.getByTestId('prompt-new').click();
    await page.getByTestId('prompt-name').fill('cats-dogs');
    await page.getByTestId('prompt-user').fill(V1_USER);
    await expect.poll(() => page.getByTestId('prompt-editor-preview').textContent()).toContain('- cat\n- dog');
    await page.getByTestId('prompt-save').click();
    await expect.poll(() => page.getByTestId('prompt-title').textContent()).toBe('cats-dogs');
    await expect.poll(() => page.getByTestId('prompt-version-row').count()).toBe(1);

    await page.getByTestId('prompt-new-version').click();
    expect(await page.getByTestId('prompt-user').inputValue()).toBe(V1_USER); // the draft starts from the newest version
    await page.getByTestId('prompt-user').fill(V2_USER);
    await page.getByTestId('prompt-note').fill('describe the task first');
    await expect.poll(() => page.getByTestId('prompt-save').textContent()).toBe('Save as v2');
    // Try the unsaved draft before saving it: answers inline, nothing stored.
    await page.getByTestId('editor-try-mode').selectOption('constrained');
    await page.getByTestId('quick-try-count').fill('2');
    await page.getByTestId('quick-try-run').click();
    await expect.poll(() => page.getByTestId('quick-try-output').count(), { timeout: 120_000, interval: 500 }).toBe(2);
    expect(await page.getByTestId('quick-try-output').allTextContents()).toEqual([expect.stringMatching(/answer (cat|dog)/), expect.stringMatching(/answer (cat|dog)/)]);
    await page.getByTestId('prompt-editor').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot('01-editor');
    await page.getByTestId('prompt-save').click();
    await expect.poll(() => page.getByTestId('prompt-version-row').count()).toBe(2);
    [v2, v1] = (await versions()).filter((v) => v.promptName === 'cats-dogs');
    expect([v1.number, v2.number, v2.note]).toEqual([1, 2, 'describe the task first']);

    // Ticked newest first: the diff still reads old → new.
    await page.locator('[data-testid="prompt-version-row"][data-version="2"] [data-testid="prompt-version-pick"]').check();
    await page.locator('[data-testid="prompt-version-row"][data-version="1"] [data-testid="prompt-version-pick"]').check();
    await page.getByTestId('prompt-diff-open').click();
    const diff = page.getByTestId('prompt-diff');
    await diff.waitFor();
    expect(await page.getByTestId('prompt-diff-a').textContent()).toBe('cats-dogs v1');
    expect(await page.getByTestId('prompt-diff-b').textContent()).toBe('cats-dogs v2');
    const lines = async (testId: string, op: string) =>
      page.locator(`[data-testid="${testId}"] .diff-line[data-op="${op}"] .diff-text`).allTextContents();
    expect(await lines('prompt-diff-user', 'removed')).toEqual(['Which animal is in this photo?']);
    expect(await lines('prompt-diff-user', 'added')).toEqual(['Look at the animal in the photo.', 'Is it one of these?']);
    expect(await lines('prompt-diff-user', 'same')).toEqual(['{{labels}}', 'Answer with one label.']);
    expect(await lines('prompt-diff-system', 'added')).toEqual([]);
    expect(await lines('prompt-diff-preview', 'same')).toEqual(['- cat', '- dog', 'Answer with one label.']);
    // The preview follows the chosen label list.
    await page.getByTestId('prompt-diff-labels').fill('cat, dog, other');
    await expect.poll(() => lines('prompt-diff-preview', 'same')).toEqual(['- cat', '- dog', '- other', 'Answer with one label.']);
    await page.getByTestId('prompt-diff-labels').fill('cat, dog');
    await shot('02-diff');
  });

  it('runs an eval with v1 and reruns it with one change (the prompt version)', async () => {
    const { page } = studio;
    await page.getByTestId('prompts-back').click();
    await page.getByTestId('eval-new-open').click();
    await page.getByTestId('eval-model').selectOption(String(tiny.id));
    await page.getByTestId('eval-mode-constrained').check();
    await page.getByTestId('eval-prompt-version').selectOption(String(v1.id));
    expect(await page.getByTestId('eval-user-prompt').inputValue()).toBe(V1_USER);
    expect(await page.getByTestId('eval-prompt-version-state').textContent()).toContain('runs as cats-dogs v1');
    await page.getByTestId('eval-seed').fill('5');
    await page.getByTestId('eval-n').fill('3');
    await page.getByTestId('eval-name').fill('v1 constrained');
    await page.getByTestId('eval-start').click();
    const dashboard = page.getByTestId('run-dashboard');
    await expect.poll(() => dashboard.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    firstRun = await getRun(Number(await dashboard.getAttribute('data-run-id')));
    expect(firstRun).toMatchObject({ promptVersionId: v1.id, promptVersionName: 'cats-dogs v1', mode: 'constrained', seed: 5, nSamples: 3, userPrompt: V1_USER });
    expect(await page.locator('[data-fact="Prompt"] dd').textContent()).toBe('cats-dogs v1');

    await page.getByTestId('run-rerun').click();
    await page.getByTestId('new-eval-form').waitFor();
    // Prefilled with the run's configuration, not the defaults (raw mode, default prompt, seed 23).
    await expect.poll(() => page.getByTestId('eval-mode-constrained').isChecked()).toBe(true);
    expect(await page.getByTestId('eval-seed').inputValue()).toBe('5');
    expect(await page.getByTestId('eval-n').inputValue()).toBe('3');
    expect(await page.getByTestId('eval-model').inputValue()).toBe(String(tiny.id));
    expect(await page.getByTestId('eval-split').inputValue()).toBe(firstRun.split);
    expect(await page.getByTestId('eval-dtype').inputValue()).toBe(firstRun.dtype);
    expect(await page.getByTestId('eval-prompt-version').inputValue()).toBe(String(v1.id));
    expect(await page.getByTestId('eval-user-prompt').inputValue()).toBe(V1_USER);
    await shot('03-rerun-prefilled');
    await page.getByTestId('eval-prompt-version').selectOption(String(v2.id));
    expect(await page.getByTestId('eval-user-prompt').inputValue()).toBe(V2_USER);
    await page.getByTestId('eval-name').fill('v2 constrained');
    await page.getByTestId('eval-start').click();
    await expect.poll(async () => Number(await dashboard.getAttribute('data-run-id')), { timeout: 30_000 }).not.toBe(firstRun.id);
    await expect.poll(() => dashboard.getAttribute('data-status'), { timeout: 150_000, interval: 500 }).toBe('done');
    secondRun = await getRun(Number(await dashboard.getAttribute('data-run-id')));
    // Exactly one thing changed.
    expect(secondRun).toMatchObject({ promptVersionId: v2.id, promptVersionName: 'cats-dogs v2', mode: 'constrained', seed: 5, nSamples: 3, modelId: tiny.id, split: firstRun.split, dtype: firstRun.dtype });
  });

  it('filters the runs table by prompt version', async () => {
    const { page } = studio;
    await page.getByTestId('runs-back').click();
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    expect(await page.getByTestId('run-prompt-version').allTextContents()).toEqual(['cats-dogs v2', 'cats-dogs v1']);
    await page.getByTestId('runs-prompt-filter').selectOption(String(v1.id));
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    expect(await page.getByTestId('run-row').getAttribute('data-run-id')).toBe(String(firstRun.id));
    await shot('04-runs-filtered');
    await page.getByTestId('runs-prompt-filter').selectOption('');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
  });

  it('quick-tries an edited draft on a few samples and shows the answers inline, without creating a run', async () => {
    const { page } = studio;
    await page.getByTestId('eval-new-open').click();
    // The form remembers the dataset's last settings: the v2 run's.
    await expect.poll(() => page.getByTestId('eval-prompt-version').inputValue()).toBe(String(v2.id));
    expect(await page.getByTestId('eval-seed').inputValue()).toBe('5');
    await page.getByTestId('eval-user-prompt').fill(`${V2_USER}\nBe brief.`);
    expect(await page.getByTestId('eval-prompt-version-state').textContent()).toContain('edited since cats-dogs v2');
    await page.getByTestId('quick-try-count').fill('3');
    await page.getByTestId('quick-try-run').click();
    await expect.poll(() => page.getByTestId('quick-try-output').count(), { timeout: 120_000, interval: 500 }).toBe(3);
    await expect.poll(() => page.getByTestId('quick-try-status').textContent()).toMatch(/\d\/3 right/);
    const answers = await page.getByTestId('quick-try-output').allTextContents();
    for (const a of answers) expect(a).toMatch(/truth (cat|dog)answer (cat|dog)/);
    expect((await seeded.call('evals:list', {})) as EvalRun[]).toHaveLength(2);
    await page.getByTestId('quick-try-results').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot('05-quick-try');

    // The last run's mistakes: exactly its wrong rows are tried again.
    const wrong = (await seeded.call('evals:samples', { runId: secondRun.id, filter: { outcome: 'wrong' }, offset: 0, limit: 50 })) as { rows: { sampleId: number }[] };
    const offLabel = (await seeded.call('evals:samples', { runId: secondRun.id, filter: { outcome: 'off-label' }, offset: 0, limit: 50 })) as { rows: { sampleId: number }[] };
    const mistakes = wrong.rows.length + offLabel.rows.length;
    if (mistakes > 0) {
      await page.getByTestId('quick-try-source').selectOption('mistakes');
      await page.getByTestId('quick-try-run').click();
      await expect.poll(() => page.getByTestId('quick-try-status').textContent(), { timeout: 120_000, interval: 500 }).toMatch(new RegExp(`\\d/${mistakes} right`));
      expect(await page.getByTestId('quick-try-output').count()).toBe(mistakes);
    }

    // The edited draft is saved as v3 from the form, and the form then runs as v3.
    await page.getByTestId('eval-prompt-save-version').click();
    await expect.poll(() => page.getByTestId('eval-prompt-version-state').textContent()).toBe('runs as cats-dogs v3');
    const v3 = (await versions()).find((v) => v.displayName === 'cats-dogs v3');
    expect(v3?.userPrompt).toBe(`${V2_USER}\nBe brief.`);
    expect(await page.getByTestId('eval-prompt-version').inputValue()).toBe(String(v3?.id));
    expect(studio.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('quick-tries the draft on exactly the samples picked from the split thumbnails', async () => {
    const { page } = studio;
    const split = await page.getByTestId('eval-split').inputValue();
    const versionId = firstRun.versionId;
    const pickable = (await seeded.call('prompts:trySamples', { versionId, split })) as PromptTryPickables;
    expect(pickable.total).toBe(pickable.samples.length);
    // The split's last dog, then its last cat: not the first tiles, and an order the grid does not have.
    const cat = pickable.samples.filter((s) => s.label === 'cat').at(-1)!;
    const dog = pickable.samples.filter((s) => s.label === 'dog').at(-1)!;
    await page.getByTestId('quick-try-source').selectOption('picked');
    await expect.poll(() => page.getByTestId('quick-try-pick').count()).toBe(pickable.samples.length);
    expect(await page.getByTestId('quick-try-run').isDisabled()).toBe(true); // nothing picked yet
    const tile = (id: number) => page.locator(`[data-testid="quick-try-pick"][data-sample-id="${id}"]`);
    await tile(dog.sampleId).click();
    await tile(cat.sampleId).click();
    await tile(pickable.samples[0].sampleId).click(); // picked, then unpicked
    await tile(pickable.samples[0].sampleId).click();
    expect(await page.locator('[data-testid="quick-try-pick"][data-picked="1"]').count()).toBe(2);
    expect(await page.getByTestId('quick-try-picked').textContent()).toContain('2/16 picked');
    await page.getByTestId('quick-try-run').click();
    await expect.poll(() => page.getByTestId('quick-try-status').textContent(), { timeout: 120_000, interval: 500 }).toMatch(/\d\/2 right/);
    const outputs = page.getByTestId('quick-try-output');
    expect(await outputs.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-sample-id'))))).toEqual([dog.sampleId, cat.sampleId]);
    expect(await outputs.allTextContents()).toEqual([expect.stringMatching(/^truth doganswer (cat|dog)/), expect.stringMatching(/^truth catanswer (cat|dog)/)]);
    expect((await seeded.call('evals:list', {})) as EvalRun[]).toHaveLength(2);
    await page.getByTestId('quick-try-picker').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('06-picked');
    expect(studio.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
