/** Classifier inspection loads the graph (onnxruntime-node) and checks labels.txt against the output shape, so broken models are refused at registration, not at eval time. */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectModelFolder } from '../../src/main/models/inspect-model-folder';
import { registerModel } from '../../src/main/models/model-registry';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';
import { asset } from '../support/assets';

afterEach(cleanupTempDirs);

const MOBILENET = asset('models', 'mobilenetv2-12-int8');
const ONNX = 'mobilenetv2-12-int8.onnx';
const LABELS = readFileSync(join(MOBILENET, 'labels.txt'), 'utf8');

function folder(onnx: Buffer | string, labels: string): string {
  const dir = makeTempDir('vcs-model-');
  writeFileSync(join(dir, 'model.onnx'), onnx);
  writeFileSync(join(dir, 'labels.txt'), labels);
  return dir;
}

describe('classifier graph inspection', () => {
  it('the real MobileNetV2 with its 1000 labels is supported, with no problems', async () => {
    const dir = makeTempDir('vcs-model-');
    copyFileSync(join(MOBILENET, ONNX), join(dir, ONNX));
    copyFileSync(join(MOBILENET, 'labels.txt'), join(dir, 'labels.txt'));
    const r = await inspectModelFolder(dir);
    expect(r.problems).toEqual([]);
    expect(r.supported).toBe(true);
  });

  it('a text file named .onnx is refused with an explanation', async () => {
    const r = await inspectModelFolder(folder('this is not a model\n', LABELS));
    expect(r.supported).toBe(false);
    expect(r.problems).toEqual([expect.stringMatching(/^model\.onnx can't be loaded as an ONNX graph \(.+\): the file is not an ONNX model, or it is damaged or truncated$/)]);
  });

  it('a truncated graph is refused, and registration refuses it too', async () => {
    const bytes = readFileSync(join(MOBILENET, ONNX));
    const dir = folder(bytes.subarray(0, Math.floor(bytes.length / 2)), LABELS);
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(false);
    expect(r.problems[0]).toMatch(/can't be loaded as an ONNX graph/);
    await expect(registerModel(tempWorkspace().db, dir)).rejects.toThrow(/can't be loaded as an ONNX graph/);
  });

  it('a 2-line labels.txt for 1000 outputs is refused with both numbers', async () => {
    const r = await inspectModelFolder(folder(readFileSync(join(MOBILENET, ONNX)), 'cat\ndog\n'));
    expect(r.supported).toBe(false);
    expect(r.problems).toEqual(['labels.txt has 2 labels but model.onnx outputs 1000 classes; they must match one to one (one label per output, in order)']);
  });
});
