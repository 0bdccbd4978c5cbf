/** Trainer config contract through the real CLI: LoRA target lists that match nothing and unknown keys are refused with a clear message. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyBase } from './fixtures';
import { runTrainer } from './python';

describe('trainer config validation (python -m lfm2vl_trainer train)', () => {
  let base: string;
  let work: string;
  beforeAll(async () => {
    base = await ensureTinyBase();
    work = mkdtempSync(join(tmpdir(), 'vcs-trainer-cfg-'));
    // An empty inputs folder: the config and the target list are checked before any data is read.
    writeFileSync(join(work, 'manifest.json'), JSON.stringify({ samples: [] }));
  });

  async function trainWith(yaml: string) {
    writeFileSync(join(work, 'c.yaml'), yaml);
    return runTrainer(['train', '--base', base, '--inputs', work, '--config', join(work, 'c.yaml'), '--out', join(work, 'out')]);
  }

  it('refuses a lora_target_modules list that matches no module of LFM2-VL', async () => {
    const r = await trainWith('lora_target_modules: [c_attn, c_proj]\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("lora_target_modules ['c_attn', 'c_proj'] match no Linear module of LFM2-VL");
  });

  it('refuses unknown keys instead of ignoring a typo', async () => {
    const r = await trainWith('learning_rte: 1e-4\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("unknown config key 'learning_rte'");
  });
});
