/** models:inspect on a folder that is not a model (a deep tree, thousands of files) stops early and says so instead of walking it all. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectModelFolder } from '../../src/main/models/inspect-model-folder';
import { MODEL_LISTING_LIMITS } from '../../src/main/models/model-folder-files';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { asset } from '../support/assets';

afterEach(cleanupTempDirs);

describe('bounded model folder listing', () => {
  it('stops after the file limit and explains that this is not a model folder', async () => {
    const dir = makeTempDir('vcs-many-');
    const count = MODEL_LISTING_LIMITS.maxFiles + 500;
    for (let i = 0; i < 5; i++) mkdirSync(join(dir, `pkg${i}`));
    for (let i = 0; i < count; i++) writeFileSync(join(dir, `pkg${i % 5}`, `f${i}.js`), '');
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(false);
    expect(r.files.length).toBe(MODEL_LISTING_LIMITS.maxFiles);
    expect(r.supportReason).toBe(`stopped after ${MODEL_LISTING_LIMITS.maxFiles} files: this does not look like a model folder`);
    expect(r.problems[0]).toBe(r.supportReason);
  });

  it('stops below the depth limit and says at which depth', async () => {
    const dir = makeTempDir('vcs-deep-');
    let deep = dir;
    for (let d = 0; d <= MODEL_LISTING_LIMITS.maxDepth + 2; d++) {
      deep = join(deep, `d${d}`);
      mkdirSync(deep);
      writeFileSync(join(deep, 'x.txt'), 'x');
    }
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(false);
    expect(r.supportReason).toBe(`stopped at depth ${MODEL_LISTING_LIMITS.maxDepth + 1}: this does not look like a model folder`);
    expect(r.files.every((f) => f.path.split('/').length <= MODEL_LISTING_LIMITS.maxDepth + 1)).toBe(true);
  });

  it('a real model folder is well within the limits', async () => {
    const r = await inspectModelFolder(asset('models', 'mobilenetv2-12-int8'));
    expect(r.supportReason).not.toMatch(/stopped/);
  });
});
