/** Fine-tunes of one base share exactly the ONNX sessions whose exported weights and graph match, and answer as if loaded alone. */
import { closeSync, cpSync, openSync, readFileSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm, editOnnx, moveToExternalData, writeFineTuneCopy } from '../../tools/tiny-vlm';
import { decodeRaw, decodeScored, loadVlm, sessionCacheStats, type PromptSpec, type VlmHandle, type VlmSessionName } from '../../src/main/inference/vlm';
import { acquireSession } from '../../src/main/inference/vlm/session-cache';
import { clearOnnxFingerprintCache, onnxFingerprint, onnxFingerprintComputations } from '../../src/main/inference/vlm/onnx-fingerprint';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

const PETS = join(import.meta.dirname, '../../resources/sample-project/pets');
const IMAGES = [join(PETS, 'cat/Abyssinian_101.jpg'), join(PETS, 'dog/Bombay_121.jpg')];
const PROMPT: PromptSpec = { system: 'You classify pets.', user: 'Which animal is this?\n{{labels}}', labels: ['cat', 'dog', 'bird'] };

let base: string;
let root: string;
const dir = (name: string) => join(root, name);

/** Everything the model computes for our images: every label's per-token log-probs and the greedy tokens. */
async function outputs(h: VlmHandle): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const img of IMAGES) {
    const scored = await decodeScored(h, img, PROMPT);
    const raw = await decodeRaw(h, img, PROMPT, { maxNewTokens: 4, minNewTokens: 4 });
    out.push(scored.scores.map((s) => [s.label, s.tokenLogProbs]), raw.tokenIds);
  }
  return out;
}

/** The same folder loaded with private sessions (transformers.js' own from_pretrained), as the reference. */
async function unsharedOutputs(modelDir: string): Promise<unknown[]> {
  const h = await loadVlm({ modelDir, shareSessions: false });
  try {
    return await outputs(h);
  } finally {
    await h.dispose();
  }
}

const session = (h: VlmHandle, name: VlmSessionName) => (h.model as unknown as { sessions: Record<string, ort.InferenceSession> }).sessions[name];
const refsOf = (id: number | undefined) => sessionCacheStats().find((e) => e.id === id)?.refs ?? 0;

beforeAll(() => {
  base = ensureTinyVlm('lfm2-vl', 1);
  root = makeTempDir();
  for (const seed of [11, 12, 13]) writeFineTuneCopy(base, dir(`decoder-ft-${seed}`), ['decoder_model_merged'], { seed });
  // LoRA on the vision tower: one projector matrix changes, everything else is byte-identical.
  writeFineTuneCopy(base, dir('vision-ft'), ['vision_encoder'], { seed: 21, match: (n) => n === 'vision.projector.linear_1' });
  cpSync(base, dir('identical'), { recursive: true });
});
afterAll(cleanupTempDirs);

describe('session sharing between fine-tunes', () => {
  it('base + 3 decoder-only fine-tunes load one vision encoder and one embed_tokens; each answers as its unshared load', async () => {
    const before = sessionCacheStats().length;
    const handles = [await loadVlm({ modelDir: base })];
    for (const seed of [11, 12, 13]) handles.push(await loadVlm({ modelDir: dir(`decoder-ft-${seed}`) }));
    const [b, ...fts] = handles;
    expect(sessionCacheStats().length - before).toBe(3 + 3);
    for (const ft of fts) {
      expect(session(ft, 'vision_encoder')).toBe(session(b, 'vision_encoder'));
      expect(session(ft, 'embed_tokens')).toBe(session(b, 'embed_tokens'));
      expect(session(ft, 'decoder_model_merged')).not.toBe(session(b, 'decoder_model_merged'));
    }
    expect(refsOf(b.sharedSessionIds?.vision_encoder)).toBe(4);
    expect(new Set(handles.map((h) => h.sharedSessionIds?.decoder_model_merged)).size).toBe(4);

    const baseOut = await outputs(b);
    expect(baseOut).toEqual(await unsharedOutputs(base));
    for (const [i, ft] of fts.entries()) {
      const got = await outputs(ft);
      expect(got).toEqual(await unsharedOutputs(ft.modelDir));
      // The perturbation is real: a fine-tune that answered like the base would make this test vacuous.
      expect(got, `fine-tune ${i}`).not.toEqual(baseOut);
    }
    await Promise.all(handles.map((h) => h.dispose()));
    expect(sessionCacheStats().length).toBe(before);
  });

  it('a fine-tune whose LoRA touched the vision tower gets its own vision encoder and its own answers', async () => {
    const b = await loadVlm({ modelDir: base });
    const ft = await loadVlm({ modelDir: dir('vision-ft') });
    expect(ft.sharedSessionIds?.vision_encoder).not.toBe(b.sharedSessionIds?.vision_encoder);
    expect(session(ft, 'vision_encoder')).not.toBe(session(b, 'vision_encoder'));
    expect(session(ft, 'embed_tokens')).toBe(session(b, 'embed_tokens'));
    expect(session(ft, 'decoder_model_merged')).toBe(session(b, 'decoder_model_merged'));
    const got = await outputs(ft);
    expect(got).toEqual(await unsharedOutputs(dir('vision-ft')));
    expect(got).not.toEqual(await outputs(b));
    await Promise.all([b.dispose(), ft.dispose()]);
  });

  it('an identical copy in another folder shares all three sessions', async () => {
    const b = await loadVlm({ modelDir: base });
    const before = sessionCacheStats().length;
    const copy = await loadVlm({ modelDir: dir('identical') });
    expect(sessionCacheStats().length).toBe(before);
    for (const s of ['vision_encoder', 'embed_tokens', 'decoder_model_merged'] as const) expect(session(copy, s)).toBe(session(b, s));
    expect(await outputs(copy)).toEqual(await outputs(b));
    await Promise.all([b.dispose(), copy.dispose()]);
  });

  it('releasing one model keeps the shared sessions alive for the others; the last release frees them', async () => {
    const before = sessionCacheStats().length;
    const b = await loadVlm({ modelDir: base });
    const ft = await loadVlm({ modelDir: dir('decoder-ft-11') });
    const expected = await outputs(ft);
    const visionId = b.sharedSessionIds?.vision_encoder;
    await b.dispose();
    await b.dispose(); // idempotent: must not take the fine-tune's reference
    expect(refsOf(visionId)).toBe(1);
    expect(await outputs(ft)).toEqual(expected);
    // The library's own dispose on the model gives back references too, not the shared sessions themselves.
    await ft.model.dispose();
    expect(refsOf(visionId)).toBe(0);
    expect(sessionCacheStats().length).toBe(before);
    await ft.dispose();
  });

  it('models loaded concurrently still create each shared session once', async () => {
    const before = sessionCacheStats().length;
    const handles = await Promise.all([base, dir('decoder-ft-12'), dir('identical')].map((modelDir) => loadVlm({ modelDir })));
    expect(sessionCacheStats().length - before).toBe(3 + 1);
    expect(session(handles[1], 'vision_encoder')).toBe(session(handles[0], 'vision_encoder'));
    await Promise.all(handles.map((h) => h.dispose()));
  });
});

describe('when fingerprints are computed', () => {
  it('a model loaded alone hashes nothing; the first model that could share hashes both', async () => {
    cpSync(base, dir('lone-a'), { recursive: true });
    cpSync(base, dir('lone-b'), { recursive: true });
    const n0 = onnxFingerprintComputations();
    const a = await loadVlm({ modelDir: dir('lone-a') });
    expect(onnxFingerprintComputations()).toBe(n0);
    expect(sessionCacheStats().every((e) => !e.fingerprinted)).toBe(true);
    const b = await loadVlm({ modelDir: dir('lone-b') });
    expect(onnxFingerprintComputations()).toBe(n0 + 6);
    expect(session(b, 'decoder_model_merged')).toBe(session(a, 'decoder_model_merged'));
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('a live model whose files were rewritten after it loaded is never matched by their new content (its sessions hold the old weights)', async () => {
    cpSync(base, dir('rewritten'), { recursive: true });
    writeFineTuneCopy(base, dir('vision-ft-2'), ['vision_encoder'], { seed: 5 });
    const a = await loadVlm({ modelDir: dir('rewritten') });
    const before = await outputs(a);
    // a's vision file now holds the fine-tune's bytes, but a's session still runs the base's.
    cpSync(join(dir('vision-ft-2'), 'onnx/vision_encoder.onnx'), join(dir('rewritten'), 'onnx/vision_encoder.onnx'));
    const b = await loadVlm({ modelDir: dir('vision-ft-2') });
    expect(session(b, 'vision_encoder')).not.toBe(session(a, 'vision_encoder'));
    expect(await outputs(b)).toEqual(await unsharedOutputs(dir('vision-ft-2')));
    expect(await outputs(a)).toEqual(before);
    await Promise.all([a.dispose(), b.dispose()]);
  });
});

describe('onnx fingerprint', () => {
  it('is cached by path + size + mtime and recomputed when the file changes', () => {
    const file = join(makeTempDir(), 'vision.onnx');
    cpSync(join(base, 'onnx/vision_encoder.onnx'), file);
    clearOnnxFingerprintCache();
    const n0 = onnxFingerprintComputations();
    const fp = onnxFingerprint(file);
    expect(onnxFingerprint(file)).toBe(fp);
    expect(onnxFingerprintComputations()).toBe(n0 + 1);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(onnxFingerprint(file)).toBe(fp);
    expect(onnxFingerprintComputations()).toBe(n0 + 2);
  });

  it('counts graph structure with identical weights, ignores doc strings and producer metadata', () => {
    const work = makeTempDir();
    const structural = join(work, 'structural.onnx');
    const metadata = join(work, 'metadata.onnx');
    const original = join(base, 'onnx/decoder_model_merged.onnx');
    cpSync(original, structural);
    cpSync(original, metadata);
    editOnnx(structural, (m) => {
      const add = m.graph?.node?.find((n) => n.opType === 'Add');
      if (!add) throw new Error('decoder has no Add node');
      add.opType = 'Sub';
    });
    editOnnx(metadata, (m) => {
      m.producerName = 'some-other-exporter';
      m.docString = 'exported at another time';
      for (const n of m.graph?.node ?? []) n.docString = 'traced from another line';
    });
    expect(onnxFingerprint(structural)).not.toBe(onnxFingerprint(original));
    expect(onnxFingerprint(metadata)).toBe(onnxFingerprint(original));
  });

  it('reads external data: the same bytes stored outside share, one changed external byte does not', async () => {
    const inline = join(base, 'onnx/embed_tokens.onnx');
    const ext = join(makeTempDir(), 'embed_tokens.onnx');
    cpSync(inline, ext);
    moveToExternalData(ext);
    expect(onnxFingerprint(ext)).toBe(onnxFingerprint(inline));

    const options = { executionProviders: ['cpu'] };
    const [a, b] = await Promise.all([acquireSession({ file: inline, options }), acquireSession({ file: ext, options })]);
    expect(b.session).toBe(a.session);
    await Promise.all([a.release(), b.release()]);

    // Flip one weight byte in the data file only: the .onnx file is untouched, its fingerprint must still move.
    const data = readFileSync(`${ext}_data`);
    const fd = openSync(`${ext}_data`, 'r+');
    writeSync(fd, Uint8Array.of(data[100] ^ 0xff), 0, 1, 100);
    closeSync(fd);
    utimesSync(`${ext}_data`, new Date(), new Date(Date.now() + 5000));
    expect(onnxFingerprint(ext)).not.toBe(onnxFingerprint(inline));
  });
});
