/** Model inspection never opens a FIFO (labels.txt or config.json as a named pipe would block it forever): it is reported instead. */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectModelFolder } from '../../src/main/models/inspect-model-folder';
import { makeFifo, releaseFifo } from '../fixtures/fifo';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { asset } from '../support/assets';

const fifos: string[] = [];
afterEach(() => {
  for (const f of fifos.splice(0)) releaseFifo(f);
  cleanupTempDirs();
});

describe('special files in a model folder', () => {
  it('labels.txt as a FIFO is a problem, not a hang', { timeout: 15_000 }, async () => {
    const dir = makeTempDir('vcs-model-');
    copyFileSync(join(asset('models', 'mobilenetv2-12-int8'), 'mobilenetv2-12-int8.onnx'), join(dir, 'model.onnx'));
    fifos.push(makeFifo(join(dir, 'labels.txt')));
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(false);
    expect(r.problems).toEqual(['labels.txt is not a regular file (a named pipe (FIFO)): it is not read']);
  });

  it('config.json as a FIFO is a problem, not a hang', { timeout: 15_000 }, async () => {
    const dir = makeTempDir('vcs-model-');
    fifos.push(makeFifo(join(dir, 'config.json')));
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(false);
    expect(r.problems).toContain('config.json is not a regular file (a named pipe (FIFO)): it is not read');
  });
});
