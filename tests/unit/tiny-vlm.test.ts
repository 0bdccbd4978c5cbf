/** The tiny-VLM generator writes folders transformers.js loads and runs exactly like real LFM2-VL / SmolVLM exports. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AutoModelForImageTextToText, AutoProcessor, RawImage, env, type Tensor } from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { hashTree, writeTinyVlm, type TinyVlmArch } from '../../tools/tiny-vlm';
import { OXFORD_PETS, assetFiles } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

env.allowRemoteModels = false;
env.useFSCache = false;

const CAT = join(OXFORD_PETS, 'cats', assetFiles(join(OXFORD_PETS, 'cats'), 1)[0]);
const DOG = join(OXFORD_PETS, 'dogs', assetFiles(join(OXFORD_PETS, 'dogs'), 1)[0]);

type Proc = ((a: unknown, b: unknown) => Promise<Record<string, Tensor>>) & {
  apply_chat_template(m: unknown, o: object): string;
  batch_decode(t: Tensor, o: object): string[];
};
type Model = {
  generate(o: object): Promise<Tensor>;
  forward(o: object): Promise<Record<string, Tensor>>;
  dispose(): Promise<unknown>;
};

async function load(dir: string, dtype = 'fp32'): Promise<{ proc: Proc; model: Model }> {
  const proc = (await AutoProcessor.from_pretrained(dir)) as unknown as Proc;
  const model = (await AutoModelForImageTextToText.from_pretrained(dir, { dtype: dtype as 'fp32', device: 'cpu' })) as unknown as Model;
  return { proc, model };
}

async function inputsFor(arch: TinyVlmArch, proc: Proc, imagePath: string, question: string) {
  const image = await RawImage.read(imagePath);
  const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: question }] }];
  const text = proc.apply_chat_template(messages, { add_generation_prompt: true });
  return { text, inputs: arch === 'lfm2-vl' ? await proc(image, text) : await proc(text, image) };
}

afterAll(cleanupTempDirs);

const ARCHES: { arch: TinyVlmArch; modelType: string; imageToken: string }[] = [
  { arch: 'lfm2-vl', modelType: 'lfm2_vl', imageToken: '<image>' },
  { arch: 'smolvlm', modelType: 'smolvlm', imageToken: '<image>' },
  { arch: 'idefics3', modelType: 'idefics3', imageToken: '<image>' },
];

describe.each(ARCHES)('tiny $arch', ({ arch, modelType }) => {
  it('writes the Hub layout with the real config keys, a few hundred KB', () => {
    const dir = makeTempDir();
    const res = writeTinyVlm({ arch, outDir: dir, seed: 3 });
    for (const s of ['embed_tokens', 'vision_encoder', 'decoder_model_merged']) {
      expect(existsSync(join(dir, 'onnx', `${s}.onnx`))).toBe(true);
      expect(existsSync(join(dir, 'onnx', `${s}_quantized.onnx`))).toBe(true);
      expect(statSync(join(dir, 'onnx', `${s}_quantized.onnx`)).size).toBeLessThan(statSync(join(dir, 'onnx', `${s}.onnx`)).size);
    }
    expect(res.totalBytes).toBeLessThan(1_000_000);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config.model_type).toBe(modelType);
    const tok = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(typeof tok.chat_template).toBe('string');
    const vocab = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')).model.vocab;
    expect(vocab['<image>']).toBe(config.image_token_id);
    if (arch === 'lfm2-vl') {
      expect(config.text_config.model_type).toBe('lfm2');
      expect(config.text_config.layer_types).toEqual(['conv', 'full_attention']);
    } else {
      const pc = JSON.parse(readFileSync(join(dir, 'processor_config.json'), 'utf8'));
      expect(pc.image_seq_len).toBeGreaterThan(0);
    }
  });

  it('has the session input/output names and dims transformers.js feeds', async () => {
    const dir = makeTempDir();
    writeTinyVlm({ arch, outDir: dir, seed: 1, quantized: false });
    const dec = await ort.InferenceSession.create(join(dir, 'onnx/decoder_model_merged.onnx'));
    const vis = await ort.InferenceSession.create(join(dir, 'onnx/vision_encoder.onnx'));
    const emb = await ort.InferenceSession.create(join(dir, 'onnx/embed_tokens.onnx'));
    expect(emb.inputNames).toEqual(['input_ids']);
    expect(emb.outputNames).toEqual(['inputs_embeds']);
    expect(vis.outputNames).toEqual(['image_features']);
    if (arch === 'lfm2-vl') {
      expect(vis.inputNames).toEqual(['pixel_values', 'pixel_attention_mask', 'spatial_shapes']);
      expect(dec.inputNames).toEqual(['inputs_embeds', 'attention_mask', 'past_conv.0', 'past_key_values.1.key', 'past_key_values.1.value']);
      expect(dec.outputNames).toEqual(['logits', 'present_conv.0', 'present.1.key', 'present.1.value']);
      const conv = dec.inputMetadata.find((m) => m.name === 'past_conv.0');
      expect(conv && conv.isTensor ? conv.shape : null).toEqual(['batch_size', 32, 3]);
    } else {
      expect(vis.inputNames).toEqual(['pixel_values', 'pixel_attention_mask']);
      expect(dec.inputNames).toEqual([
        'inputs_embeds', 'attention_mask', 'position_ids',
        'past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key', 'past_key_values.1.value',
      ]);
    }
    await Promise.all([dec.release(), vis.release(), emb.release()]);
  });

  it('same seed → identical bytes and identical generations; other seed → other bytes', async () => {
    const [a, b, c] = [makeTempDir(), makeTempDir(), makeTempDir()];
    writeTinyVlm({ arch, outDir: a, seed: 7 });
    writeTinyVlm({ arch, outDir: b, seed: 7 });
    writeTinyVlm({ arch, outDir: c, seed: 8 });
    expect(hashTree(a)).toEqual(hashTree(b));
    expect(hashTree(c)['onnx/decoder_model_merged.onnx']).not.toBe(hashTree(a)['onnx/decoder_model_merged.onnx']);
    const outs: bigint[][] = [];
    for (const dir of [a, b]) {
      const { proc, model } = await load(dir);
      const { inputs } = await inputsFor(arch, proc, CAT, 'What animal is this?');
      const seq = await model.generate({ ...inputs, max_new_tokens: 6, min_new_tokens: 6, do_sample: false });
      outs.push((seq.tolist() as bigint[][])[0]);
      await model.dispose();
    }
    expect(outs[0]).toEqual(outs[1]);
  });

  it('processes a real photo + chat prompt and generates N tokens with a KV cache', async () => {
    const dir = makeTempDir();
    writeTinyVlm({ arch, outDir: dir, seed: 1 });
    const { proc, model } = await load(dir);
    const { text, inputs } = await inputsFor(arch, proc, CAT, 'Is this a cat or a dog?');
    expect(text).toContain('Is this a cat or a dog?');
    const ids = inputs.input_ids.data as BigInt64Array;
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const imageTokens = [...ids].filter((x) => Number(x) === config.image_token_id).length;
    expect(imageTokens).toBeGreaterThan(4); // the photo is tiled: several tiles/frames of image tokens
    const seq = await model.generate({ ...inputs, max_new_tokens: 12, min_new_tokens: 12, do_sample: false });
    expect(seq.dims[1]).toBe(ids.length + 12);
    const newTokens = seq.slice(null, [ids.length, seq.dims[1]]);
    expect(proc.batch_decode(newTokens, { skip_special_tokens: false })[0].length).toBeGreaterThan(0);
    await model.dispose();
  });

  it('logits depend on both the image and the text; q8 weights give close but different logits', async () => {
    const dir = makeTempDir();
    writeTinyVlm({ arch, outDir: dir, seed: 2 });
    const { proc, model } = await load(dir);
    const last = async (m: Model, img: string, q: string) => {
      const { inputs } = await inputsFor(arch, proc, img, q);
      const out = await m.forward(inputs);
      const [, S, V] = out.logits.dims;
      return Array.from((out.logits.data as Float32Array).subarray((S - 1) * V, S * V));
    };
    const base = await last(model, CAT, 'What is it?');
    const otherImage = await last(model, DOG, 'What is it?');
    const otherText = await last(model, CAT, 'Name the breed.');
    const maxDiff = (x: number[], y: number[]) => Math.max(...x.map((v, i) => Math.abs(v - y[i])));
    expect(maxDiff(base, otherImage)).toBeGreaterThan(1e-3);
    expect(maxDiff(base, otherText)).toBeGreaterThan(1e-3);
    const q8 = await load(dir, 'q8');
    const quant = await last(q8.model, CAT, 'What is it?');
    expect(maxDiff(base, quant)).toBeGreaterThan(1e-6);
    const corr = base.reduce((a, v, i) => a + v * quant[i], 0) / Math.sqrt(base.reduce((a, v) => a + v * v, 0) * quant.reduce((a, v) => a + v * v, 0));
    expect(corr).toBeGreaterThan(0.9);
    await Promise.all([model.dispose(), q8.model.dispose()]);
  });

  it('transformers.js itself rejects a folder without the requested dtype files', async () => {
    const dir = makeTempDir();
    writeTinyVlm({ arch, outDir: dir, seed: 1, quantized: false });
    await expect(AutoModelForImageTextToText.from_pretrained(dir, { dtype: 'q8', device: 'cpu' })).rejects.toThrow(/vision_encoder_quantized\.onnx|embed_tokens_quantized\.onnx|decoder_model_merged_quantized\.onnx/);
  });
});
