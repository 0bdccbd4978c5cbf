/**
 * A model whose ONNX file cannot load fails its own load only: the loads beside it in the same thread, started while
 * its session creation is still in flight, get their sessions (real onnxruntime sessions, real tiny VLM files).
 */
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm, writeFineTuneCopy } from '../../tools/tiny-vlm';
import { sessionCacheStats } from '../../src/main/inference/vlm';
import { inspectModelDir } from '../../src/main/inference/vlm/model-dir';
import { acquireSession } from '../../src/main/inference/vlm/session-cache';
import { loadSharedModel } from '../../src/main/inference/vlm/shared-model';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

const OPTIONS = { executionProviders: ['cpu'] };
const DECODER = 'onnx/decoder_model_merged.onnx';
let base: string;
let ft: string;
let broken: string;

beforeAll(() => {
  base = ensureTinyVlm('lfm2-vl', 1);
  const root = makeTempDir();
  ft = join(root, 'ft');
  writeFineTuneCopy(base, ft, ['decoder_model_merged'], { seed: 7 });
  // Same vision encoder and embed_tokens as the base (shareable), but a decoder that is not an ONNX graph.
  broken = join(root, 'broken');
  cpSync(base, broken, { recursive: true });
  for (const f of readdirSync(join(broken, 'onnx')).filter((n) => n.startsWith('decoder_model_merged'))) {
    writeFileSync(join(broken, 'onnx', f), 'this is not an ONNX graph');
  }
});
afterAll(cleanupTempDirs);

/** loadSharedModel as loadVlm calls it. */
function load(modelDir: string) {
  const info = inspectModelDir(modelDir);
  return loadSharedModel(modelDir, info, { ...info.config, model_type: info.architecture.transformersModelType }, 'cpu');
}

describe('a failing session load in the shared cache', () => {
  it('a request made while an unreadable file of its role is still being created gets its own session', async () => {
    const before = sessionCacheStats().length;
    // Both calls in one tick: the broken entry is live (creation in flight) when the good request compares fingerprints.
    const bad = acquireSession({ file: join(broken, DECODER), options: OPTIONS, role: 'decoder_model_merged' });
    const good = acquireSession({ file: join(base, DECODER), options: OPTIONS, role: 'decoder_model_merged' });
    const [b, g] = await Promise.allSettled([bad, good]);
    expect(String((b as PromiseRejectedResult).reason)).toMatch(/Protobuf parsing failed/);
    expect(g.status, g.status === 'rejected' ? String(g.reason) : '').toBe('fulfilled');
    if (g.status === 'fulfilled') {
      expect(g.value.session.inputNames).toContain('inputs_embeds');
      await g.value.release();
    }
    expect(sessionCacheStats().length).toBe(before);
  });

  it('an unreadable file requested while a healthy session of its role is live fails with onnxruntime\'s load error', async () => {
    const good = await acquireSession({ file: join(base, DECODER), options: OPTIONS, role: 'decoder_model_merged' });
    const bad = acquireSession({ file: join(broken, DECODER), options: OPTIONS, role: 'decoder_model_merged' });
    await expect(bad).rejects.toThrow(/Protobuf parsing failed/);
    expect(good.session.inputNames).toContain('inputs_embeds');
    await good.release();
  });

  it('a broken model loaded beside a base and its fine-tune fails alone; the others share its healthy sessions and leak none', async () => {
    const before = sessionCacheStats().length;
    // The broken model first: its decoder's creation is in flight when the base and the fine-tune ask for theirs.
    const [broke, b, f] = await Promise.allSettled([load(broken), load(base), load(ft)]);
    expect(broke.status).toBe('rejected');
    expect(String((broke as PromiseRejectedResult).reason)).toMatch(/Protobuf parsing failed/);
    if (b.status === 'rejected') throw b.reason;
    if (f.status === 'rejected') throw f.reason;
    expect(f.value.sharedSessionIds.vision_encoder).toBe(b.value.sharedSessionIds.vision_encoder);
    expect(f.value.sharedSessionIds.embed_tokens).toBe(b.value.sharedSessionIds.embed_tokens);
    // The broken model gave its vision and embed references back; the two healthy models hold them.
    const refs = (id: number) => sessionCacheStats().find((e) => e.id === id)?.refs;
    expect(refs(b.value.sharedSessionIds.vision_encoder)).toBe(2);
    expect(refs(b.value.sharedSessionIds.embed_tokens)).toBe(2);
    await Promise.all([b.value.model.dispose(), f.value.model.dispose()]);
    expect(sessionCacheStats().length).toBe(before);
  });
});
