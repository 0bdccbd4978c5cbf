/**
 * The New fine-tune form at 1280×720 (browser host + headless chromium, no Python needed): a real snapshotted pets set,
 * a tiny LFM2-VL registered with a stand-in model.safetensors (filler bytes: enough for validation, a real trainer
 * would refuse them) and a tiny SmolVLM that cannot be fine-tuned; a seeds' YAML is imported with its key warnings,
 * a LoRA list that matches nothing blocks Start, an SSH host is added and its key trusted against a real sshd (and a
 * changed key refused), then Start creates the job with the form's spec and lands on its monitor page.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalRun, RegisteredModel } from '../../src/shared/eval-types';
import type { FinetuneJob } from '../../src/shared/ipc-contract-finetunes';
import { fingerprint, studioKnownHostsFile, trustHostKey } from '../../src/main/ssh/known-hosts';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { copyPetsSpread } from '../fixtures/real-photos';
import { makeRemoteWorkDir, sshdUnavailable, startSshd, type Sshd } from '../support/sshd';
import { seedPets, type SeededPets } from './support/eval-setup';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');
const SEEDS_YAML = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'finetune', 'finetune_cats_vs_dogs.yaml'), 'utf8');
const noSshd = sshdUnavailable();

/** An ed25519 public-key blob that is not the test sshd's (32 fixed bytes). */
function otherEd25519Key(): Buffer {
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([part(Buffer.from('ssh-ed25519')), part(Buffer.alloc(32, 7))]);
}

describe('New fine-tune form (browser host)', () => {
  let tmp: string;
  let ws: string;
  let studio: LaunchedStudio;
  let seeded: SeededPets;
  let sshd: Sshd | null = null;
  let remote: { dir: string; remove(): void } | null = null;
  let baseline: EvalRun;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `finetune-form-${name}.png`) });
  const byTest = (id: string) => studio.page.getByTestId(id);
  /** Scrolls the element to the middle of the form (clear of the sticky Start bar) for a screenshot. */
  const center = (id: string) => byTest(id).evaluate((el) => (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'center' }));

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    tmp = mkdtempSync(join(tmpdir(), 'vcs-ft-form-e2e-'));
    ws = join(tmp, 'ws');
    copyPetsSpread(join(tmp, 'pets'), 4);
    studio = await launchStudio({ workspaceDir: ws, viewport: { width: 1280, height: 720 }, navigate: false });
    seeded = await seedPets(studio.core, join(tmp, 'pets'));
    const lfm = join(tmp, 'models', 'tiny-lfm2');
    cpSync(ensureTinyVlm('lfm2-vl'), lfm, { recursive: true });
    // Stand-in for the PyTorch weights: validation checks the file is there; the trainer itself is not run by this spec's assertions.
    writeFileSync(join(lfm, 'model.safetensors'), 'stand-in weights');
    const smol = join(tmp, 'models', 'tiny-smol');
    cpSync(ensureTinyVlm('smolvlm'), smol, { recursive: true });
    const tiny = (await seeded.call('models:register', { path: lfm, name: 'tiny-lfm2' })) as RegisteredModel;
    await seeded.call('models:register', { path: smol, name: 'tiny-smol' });
    const { run, jobId } = (await seeded.call('evals:create', { name: 'tiny baseline', versionId: seeded.version.id, split: 'test', modelId: tiny.id, mode: 'scored', seed: 1, nSamples: 2 })) as { run: EvalRun; jobId: string };
    expect((await studio.core.jobs.wait(jobId)).status).toBe('done');
    baseline = run;
    if (!noSshd) {
      sshd = await startSshd();
      remote = makeRemoteWorkDir(sshd, 'ft-form-e2e');
    }
    await studio.page.goto(studio.url);
    await byTest('dataset-title').waitFor();
  }, 240_000);

  afterAll(async () => {
    await studio?.close();
    remote?.remove();
    await sshd?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('opens from the Fine-tunes section with the snapshot, trainable bases and the baseline run listed, and fits 1280×720', async () => {
    const { page } = studio;
    await byTest('section-finetunes').click();
    await byTest('finetunes-empty').waitFor();
    await byTest('new-finetune-open').click();
    await byTest('new-finetune').waitFor();
    await expect.poll(() => byTest('nf-status').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    const options = await page.locator('[data-testid="nf-base"] option').evaluateAll((os) => os.map((o) => ({ text: o.textContent ?? '', disabled: o.hasAttribute('disabled') })));
    expect(options.find((o) => o.text.startsWith('tiny-lfm2'))).toEqual({ text: 'tiny-lfm2 — lfm2_vl, can fine-tune', disabled: false });
    // A SmolVLM base is offered like LFM2-VL; this ONNX-only folder is disabled with main's own reason.
    expect(options.find((o) => o.text.startsWith('tiny-smol'))).toMatchObject({ disabled: true, text: expect.stringContaining('has no PyTorch weights (model.safetensors)') });
    const counts = seeded.version.splitCounts;
    expect(await byTest('nf-snapshot').textContent()).toContain(`v1 — train ${counts.train} · val ${counts.val} · test ${counts.test}`);
    expect(await byTest('nf-ready').textContent()).toContain(`${counts.train} train / 0 val samples, 2 labels`);
    expect(await byTest('eval-prompt-preview').textContent()).toContain('- cat\n- dog');
    expect(await byTest('evaluate-baseline').textContent()).toContain('tiny baseline');
    expect(await byTest('nf-start').isEnabled()).toBe(true);
    // Nothing wider than the window: the form scrolls vertically only.
    const [scrollWidth, clientWidth] = await byTest('new-finetune').evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    await shot('01-open');
    await center('hp-common');
    await shot('02-hyperparams');
  });

  it('imports the seeds\' cats-vs-dogs YAML: values land in the form, each moot key is a warning, LoRA shows the renamed modules', async () => {
    const { page } = studio;
    await center('yaml-panel');
    // From a file first: a short config of the car-maker walkthrough's kind.
    const small = join(tmp, 'cars.yaml');
    writeFileSync(small, 'lora_r: 16\nwandb_project: car-makers\n');
    await byTest('yaml-file').setInputFiles(small);
    await expect.poll(() => byTest('hp-lora_r').inputValue()).toBe('16');
    expect(await page.locator('[data-testid="yaml-warnings"] li[data-key="wandb_project"]').getAttribute('data-fate')).toBe('moot');
    expect(await byTest('yaml-input').inputValue()).toContain('wandb_project');
    await byTest('yaml-input').fill(SEEDS_YAML);
    await byTest('yaml-import').click();
    await byTest('yaml-import-result').waitFor();
    const fates = await page.locator('[data-testid="yaml-warnings"] li').evaluateAll((ls) => ls.map((l) => `${l.getAttribute('data-key')}:${l.getAttribute('data-fate')}`));
    expect(fates).toEqual(expect.arrayContaining(['dataset_name:moot', 'dataset_samples:moot', 'train_split_ratio:moot', 'wandb_project:moot'].filter((k) => SEEDS_YAML.includes(k.split(':')[0]))));
    expect(fates.length).toBeGreaterThanOrEqual(4);
    expect(await byTest('yaml-model-note').textContent()).toContain('LiquidAI/LFM2-VL-450M is not a registered model');
    expect(await byTest('nf-labels').inputValue()).toBe('cat, dog');
    expect(await byTest('hp-learning_rate').inputValue()).toBe('0.0005');
    expect(await byTest('eval-system-prompt').inputValue()).toContain('You are a veterinarian');
    await shot('03-yaml-imported');
    // Validation adds what the snapshot implies (no val split: no eval_loss) without repeating the YAML's keys; the LoRA table maps o_proj onto LFM2-VL's out_proj.
    await expect.poll(() => page.locator('[data-testid="nf-warnings"] li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-key'))), { timeout: 15_000 }).toEqual(['eval_steps']);
    expect(await byTest('nf-warnings').textContent()).toContain('no eval_loss is computed');
    await expect.poll(() => page.locator('[data-testid="lora-row"][data-target="o_proj"]').textContent()).toContain('self_attn.out_proj');
    expect(await page.locator('[data-testid="lora-row"][data-target="gate_proj"]').textContent()).toContain('feed_forward.w1');
    await center('lora-table');
    await shot('04-lora-table');
    await center('nf-warnings');
    await shot('05-validation-warnings');
  });

  it('a LoRA list that matches nothing and a bad lora_r are shown by their fields, and Start says why it is disabled', async () => {
    await byTest('hp-lora_target_modules').fill('c_attn, c_proj');
    await expect.poll(() => byTest('hp-lora_target_modules-error').textContent(), { timeout: 15_000 }).toContain('lora_target_modules [c_attn, c_proj] match no Linear module of LFM2-VL');
    expect(await byTest('lora-table').count()).toBe(0);
    expect(await byTest('nf-start').isDisabled()).toBe(true);
    expect(await byTest('nf-block-reason').textContent()).toContain('match no Linear module');
    await byTest('hp-lora_r').fill('0');
    await expect.poll(() => byTest('hp-lora_r-error').count()).toBe(1);
    expect(await byTest('nf-block-reason').textContent()).toMatch(/^lora_r: .+ \(and 1 more\)$/);
    // Main still checks the LoRA list while lora_r is wrong.
    expect(await byTest('hp-lora_target_modules-error').textContent()).toContain('match no Linear module');
    await center('hp-common');
    await shot('06-validation-errors');
    await byTest('hp-lora_r').fill('8');
    await byTest('hp-lora_target_modules').fill('q_proj, v_proj, o_proj');
    await expect.poll(() => byTest('nf-status').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    await expect.poll(() => studio.page.locator('[data-testid="lora-row"]').count()).toBe(3);
  });

  it.skipIf(noSshd !== null)('adds an SSH host and trusts its key against a real sshd; a changed key is refused', async () => {
    const { page } = studio;
    const server = sshd!;
    await byTest('backend-ssh').check();
    await byTest('host-add').click();
    const fill = async (values: Record<string, string>) => {
      for (const [k, v] of Object.entries(values)) await byTest(`host-${k}`).fill(v);
    };
    await fill({ name: 'gpu-box', host: '127.0.0.1', port: String(server.port), username: server.user, keyPath: server.clientKey, workDir: remote!.dir, python: 'python3' });
    await center('add-host-form');
    await shot('07-add-host');
    await byTest('host-save').click();
    await expect.poll(() => byTest('host-key').getAttribute('data-state'), { timeout: 20_000 }).toBe('unknown');
    expect(await byTest('host-key-fingerprint').textContent()).toBe(fingerprint(server.hostKeyBlob));
    expect(await byTest('nf-start').isDisabled()).toBe(true);
    expect(await byTest('nf-block-reason').textContent()).toContain('Trust this key');
    await center('host-key');
    await shot('08-host-key-prompt');
    await byTest('host-key-trust').click();
    await expect.poll(() => byTest('host-key').getAttribute('data-state'), { timeout: 20_000 }).toBe('known');
    expect(readFileSync(studioKnownHostsFile(ws), 'utf8')).toContain(server.hostKeyBlob.toString('base64'));
    await expect.poll(() => byTest('nf-status').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    await shot('09-host-key-trusted');

    // Another key is now trusted for this address (as after a server reinstall): the host's real key is refused.
    trustHostKey(studioKnownHostsFile(ws), '127.0.0.1', server.port, otherEd25519Key());
    await byTest('host-add').click();
    await fill({ name: 'gpu-box-again', host: '127.0.0.1', port: String(server.port), username: server.user, keyPath: server.clientKey, workDir: remote!.dir });
    await byTest('host-save').click();
    await expect.poll(() => byTest('host-key').getAttribute('data-state'), { timeout: 20_000 }).toBe('changed');
    expect(await byTest('host-key').textContent()).toContain('Refused');
    expect(await byTest('host-key').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color)).toBe('rgb(198, 47, 59)');
    expect(await byTest('host-key-replace').isDisabled()).toBe(true);
    expect(await byTest('nf-start').isDisabled()).toBe(true);
    await center('host-key');
    await shot('10-host-key-changed');
    expect((await page.locator('[data-testid="backend-host"] option').count()) - 1).toBe(2);
    await byTest('host-remove').click();
    await expect.poll(() => page.locator('[data-testid="backend-host"] option').count()).toBe(2);
    expect(await byTest('backend-host').inputValue()).toBe('');
    expect(((await seeded.call('hosts:list', {})) as { name: string }[]).map((h) => h.name)).toEqual(['gpu-box']);
  });

  it('Start creates the job with the form\'s spec and opens its monitor; the form remembers the settings', async () => {
    const { page } = studio;
    await byTest('backend-local').check();
    await byTest('nf-output').fill('pets-lora-e2e');
    await byTest('evaluate-baseline').selectOption(String(baseline.id));
    await expect.poll(() => byTest('nf-status').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    await center('evaluate-baseline');
    await shot('11-ready');
    await byTest('nf-start').click();
    await byTest('finetune-detail').waitFor();
    const jobId = (await byTest('finetune-detail').getAttribute('data-job-id'))!;
    const ft = (await seeded.call('finetunes:get', { jobId })) as FinetuneJob;
    expect(ft.spec).toMatchObject({
      outputName: 'pets-lora-e2e',
      labels: ['cat', 'dog'],
      backend: { kind: 'local' },
      evaluate: { enabled: true, baselineRunId: baseline.id },
      hyperparams: { learning_rate: 5e-4, lora_r: 8, lora_target_modules: ['q_proj', 'v_proj', 'o_proj'], gradient_accumulation_steps: 16 },
    });
    expect(ft.spec.systemPrompt).toContain('You are a veterinarian');
    await shot('12-monitor');
    // The job itself is not this spec's subject: stop it rather than leave a trainer running.
    if (['queued', 'running'].includes(ft.job.status)) await seeded.call('jobs:cancel', { jobId });
    // Back on the list, a new form starts from the last settings of this dataset — also after a reload.
    await byTest('finetune-back').click();
    await page.reload();
    await byTest('section-finetunes').click();
    await byTest('new-finetune-open').click();
    expect(await byTest('nf-output').inputValue()).toBe('pets-lora-e2e');
    expect(await byTest('hp-lora_target_modules').inputValue()).toBe('q_proj, v_proj, o_proj');
    // The remembered YAML still drives validation: its moot keys are now listed with the checks.
    await expect.poll(() => page.locator('[data-testid="nf-warnings"] li[data-fate="moot"]').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    await byTest('hp-advanced').locator('summary').click();
    await byTest('backend-modal').check();
    // Modal is a real backend now: validation passes and Start stays enabled (the CLI and login are checked when the job runs).
    await expect.poll(() => byTest('nf-status').getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    expect(await byTest('nf-start').isEnabled()).toBe(true);
    await center('hp-advanced');
    await shot('13-advanced');
    await center('backend-modal-gpu');
    await shot('14-modal');
    await byTest('yaml-tab-export').click();
    await expect.poll(() => byTest('yaml-output').textContent()).toContain('lora_target_modules:');
    expect(await byTest('yaml-output').textContent()).toContain('dataset_name: Paulescu/cats_vs_dogs');
    await center('yaml-panel');
    await shot('15-yaml-export');
    expect(studio.pageErrors).toEqual([]);
  });
});
