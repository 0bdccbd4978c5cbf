/** Performance shortcuts in the VLM engine give bit-identical model inputs to the stock transformers.js path. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AutoProcessor, RawImage, env, type Tensor } from '@huggingface/transformers';
import { lfm2VlFiles } from '../../tools/tiny-vlm/arch-lfm2-vl';
import { smolVlmFiles } from '../../tools/tiny-vlm/arch-smolvlm';
import type { TinyVlmSize } from '../../tools/tiny-vlm';
import { buildMessages, buildVlmInputs, loadVlm, type VlmHandle } from '../../src/main/inference/vlm';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { fastPreprocess, installFastPreprocess } from '../../src/main/inference/vlm/fast-preprocess';
import { OXFORD_PETS, assetFiles } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

env.allowRemoteModels = false;
env.useFSCache = false;
afterAll(cleanupTempDirs);

type Proc = ((a: unknown, b: unknown) => Promise<Record<string, unknown>>) & {
  image_processor: { preprocess(img: RawImage, o?: object): Promise<{ pixel_values: Tensor; original_size: number[]; reshaped_input_size: number[] }> };
  apply_chat_template(m: unknown, o: object): string;
};

const photos = [
  ...assetFiles(join(OXFORD_PETS, 'cats'), 2).map((f) => join(OXFORD_PETS, 'cats', f)),
  ...assetFiles(join(OXFORD_PETS, 'dogs'), 1).map((f) => join(OXFORD_PETS, 'dogs', f)),
];

/** Real photos plus synthetic grayscale / RGBA images (the rgb() conversion paths), odd sizes included. */
async function images(): Promise<RawImage[]> {
  const out = await Promise.all(photos.map((p) => RawImage.read(p)));
  const gray = new Uint8ClampedArray(97 * 61).map((_, i) => (i * 37) % 256);
  out.push(new RawImage(gray, 97, 61, 1));
  const rgba = new Uint8ClampedArray(130 * 700 * 4).map((_, i) => (i * 11 + (i >> 7)) % 256);
  out.push(new RawImage(rgba, 130, 700, 4));
  return out;
}

/** A processor-only folder (configs + tokenizer) for an arch at a size; no ONNX files needed. */
function processorDir(arch: 'lfm2-vl' | 'smolvlm', size: TinyVlmSize): string {
  const dir = makeTempDir();
  const files = arch === 'lfm2-vl' ? lfm2VlFiles(size) : smolVlmFiles('smolvlm', size);
  for (const [name, obj] of Object.entries(files.json)) writeFileSync(join(dir, name), `${JSON.stringify(obj, null, 2)}\n`);
  for (const [name, text] of Object.entries(files.text)) writeFileSync(join(dir, name), text);
  return dir;
}

function expectSameTensor(a: unknown, b: unknown, what: string): void {
  const ta = a as Tensor;
  const tb = b as Tensor;
  expect(ta.type, what).toBe(tb.type);
  expect(ta.dims, what).toEqual(tb.dims);
  const bytes = (t: Tensor) => {
    const d = t.data as unknown as ArrayBufferView;
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  };
  expect(Buffer.compare(bytes(ta), bytes(tb)), `${what}: bytes differ`).toBe(0);
}

const CASES: { arch: 'lfm2-vl' | 'smolvlm'; size: TinyVlmSize }[] = [
  { arch: 'lfm2-vl', size: 'tiny' },
  { arch: 'lfm2-vl', size: 'bench' },
  { arch: 'smolvlm', size: 'tiny' },
  { arch: 'smolvlm', size: 'bench' },
];

describe.each(CASES)('fast preprocess, $arch ($size processor config)', ({ arch, size }) => {
  it('gives bit-identical processor outputs (pixel_values, masks, shapes, input_ids)', async () => {
    const dir = processorDir(arch, size);
    const stock = (await AutoProcessor.from_pretrained(dir, { local_files_only: true })) as unknown as Proc;
    const fast = (await AutoProcessor.from_pretrained(dir, { local_files_only: true })) as unknown as Proc;
    installFastPreprocess(fast.image_processor);
    installFastPreprocess(fast.image_processor); // idempotent
    const text = stock.apply_chat_template(
      buildMessages({ system: 'Be brief.', user: 'Which?\n{{labels}}', labels: ['cat', 'dog'] }),
      { add_generation_prompt: true },
    );
    for (const img of await images()) {
      const run = (p: Proc) => (arch === 'lfm2-vl' ? p(img, text) : p(text, img));
      const [a, b] = [await run(stock), await run(fast)];
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const key of Object.keys(a)) {
        const va = a[key];
        if (va && typeof va === 'object' && 'dims' in va) expectSameTensor(va, b[key], `${key} ${img.width}×${img.height}×${img.channels}`);
        else expect(b[key]).toEqual(va);
      }
    }
  });

  it('per-image preprocess matches the original for every override the processors use', async () => {
    const dir = processorDir(arch, size);
    const proc = (await AutoProcessor.from_pretrained(dir, { local_files_only: true })) as unknown as Proc;
    const ip = proc.image_processor as unknown as Parameters<typeof fastPreprocess>[0];
    // Lfm2VlImageProcessor calls preprocess(x, { do_pad: false }); Idefics3ImageProcessor calls preprocess(x).
    const used = arch === 'lfm2-vl' ? [{ do_pad: false }, { do_pad: false, do_normalize: false }] : [{}, { do_normalize: false }];
    for (const img of await images()) {
      for (const o of used) {
        const ref = await proc.image_processor.preprocess(img, o);
        const got = await fastPreprocess(ip, img, o);
        expect(got).not.toBeNull();
        expectSameTensor(got!.pixel_values, ref.pixel_values, `pixel_values ${JSON.stringify(o)}`);
        expect(got!.original_size).toEqual(ref.original_size);
        expect(got!.reshaped_input_size).toEqual(ref.reshaped_input_size);
      }
      // Settings outside the fused path are declined (the original then runs).
      expect(await fastPreprocess(ip, img, { do_flip_channel_order: true })).toBeNull();
      if (arch === 'lfm2-vl') expect(await fastPreprocess(ip, img, {})).toBeNull(); // do_pad with pad_size
    }
  });
});

describe('loadVlm uses the fast path', () => {
  it('buildVlmInputs equals the stock processor on a real photo', async () => {
    for (const arch of ['lfm2-vl', 'smolvlm'] as const) {
      const dir = ensureTinyVlm(arch, 1);
      const handle: VlmHandle = await loadVlm({ modelDir: dir });
      const stock = (await AutoProcessor.from_pretrained(dir, { local_files_only: true })) as unknown as Proc;
      const spec = { user: 'What is it?\n{{labels}}', labels: ['cat', 'dog'] };
      const { inputs, text } = await buildVlmInputs(handle, photos[0], spec);
      const img = await RawImage.read(photos[0]);
      const ref = arch === 'lfm2-vl' ? await stock(img, text) : await stock(text, img);
      for (const [k, v] of Object.entries(inputs)) expectSameTensor(v, ref[k], k);
      await handle.dispose();
    }
  });
});
