/** Model folder inspection: good LFM2-VL / SmolVLM / classifier folders, and broken ones with their exact explanations. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectModelFolder } from '../../src/main/models/inspect-model-folder';
import { asset } from '../support/assets';
import { writeExternalData, writeFakeVlmFolder, writeJson } from '../support/fake-model-folder';
import { TINY_VLM_ARCHES, writeTinyVlm } from '../../tools/tiny-vlm/index';

const root = mkdtempSync(join(tmpdir(), 'studio-inspect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const dir = join(root, `m${n++}`);
  mkdirSync(dir);
  return dir;
};

/** LFM2-VL with fp32 (2-chunk external data declared in config) and q4 (external data referenced by the graph). */
function lfmFolder(): string {
  const dir = fresh();
  writeFakeVlmFolder(dir, {
    modelType: 'lfm2_vl',
    dtypes: ['fp32', 'q4'],
    useExternalData: { 'decoder_model_merged.onnx': 2 },
    referencesExternalData: ['decoder_model_merged_q4.onnx'],
  });
  writeExternalData(dir, 'decoder_model_merged.onnx', 2);
  writeExternalData(dir, 'decoder_model_merged_q4.onnx', 1);
  return dir;
}

describe('good folders', () => {
  it('reads an LFM2-VL folder with fp32 and q4 variants, sizes included', async () => {
    const r = await inspectModelFolder(lfmFolder());
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ kind: 'vlm', architecture: 'lfm2_vl', supported: true, dtypes: ['fp32', 'q4'] });
    expect(r.supportReason).toBe('LFM2-VL (lfm2_vl), dtypes: fp32, q4');
    expect(r.files.map((f) => f.path)).toContain('onnx/decoder_model_merged.onnx_data_1');
    expect(r.totalBytes).toBe(r.files.reduce((s, f) => s + f.bytes, 0));
    const size = (p: string): number => r.files.find((f) => f.path === `onnx/${p}`)!.bytes;
    expect(r.bytesByDtype.fp32).toBe(3 * 4096 + 2 * 2048);
    expect(r.bytesByDtype.q4).toBe(size('embed_tokens_q4.onnx') + size('vision_encoder_q4.onnx') + size('decoder_model_merged_q4.onnx') + 2048);
    expect(r.provenance).toEqual({ source: 'local' });
  });

  it('reads a SmolVLM folder and its base model from the model card', async () => {
    const dir = fresh();
    writeFakeVlmFolder(dir, { modelType: 'smolvlm', dtypes: ['q4f16'] });
    writeFileSync(join(dir, 'README.md'), '---\nlicense: apache-2.0\nbase_model:\n- HuggingFaceTB/SmolVLM-256M-Instruct\n---\n# card\n');
    const r = await inspectModelFolder(dir);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ kind: 'vlm', architecture: 'smolvlm', supported: true, dtypes: ['q4f16'], bytesByDtype: { q4f16: 3 * 4096 } });
    expect(r.provenance).toEqual({ source: 'local', baseModel: 'HuggingFaceTB/SmolVLM-256M-Instruct' });
  });

  it('finds nothing wrong with the loadable tiny random-weight VLMs of tools/tiny-vlm', async () => {
    for (const arch of TINY_VLM_ARCHES) {
      const { dir } = writeTinyVlm({ arch, outDir: join(root, `tiny-${arch}`) });
      const r = await inspectModelFolder(dir);
      expect({ arch, problems: r.problems, supported: r.supported, dtypes: r.dtypes }).toEqual({ arch, problems: [], supported: true, dtypes: ['fp32', 'q8'] });
      expect(r.architecture).toBe(arch.replace('-', '_'));
    }
  });

  it('reads the real MobileNetV2 int8 classifier folder with its 1000 labels', async () => {
    const dir = fresh();
    cpSync(asset('models', 'mobilenetv2-12-int8'), dir, { recursive: true });
    const r = await inspectModelFolder(dir);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ kind: 'onnx-classifier', architecture: null, supported: true, dtypes: [] });
    expect(r.classifier).toEqual({ onnxFile: 'mobilenetv2-12-int8.onnx', labelCount: 1000 });
    expect(r.supportReason).toBe('ONNX classifier mobilenetv2-12-int8.onnx with 1000 labels');
    expect(r.totalBytes).toBe(3655640 + 10472);
  });
});

describe('broken folders', () => {
  it('explains a missing tokenizer', async () => {
    const dir = lfmFolder();
    unlinkSync(join(dir, 'tokenizer.json'));
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(false);
    expect(r.problems).toEqual(["tokenizer.json is missing: the tokenizer can't be loaded"]);
    expect(r.supportReason).toBe("LFM2-VL: tokenizer.json is missing: the tokenizer can't be loaded");
    expect(r.dtypes).toEqual(['fp32', 'q4']);
  });

  it('explains invalid config JSON without throwing', async () => {
    const dir = lfmFolder();
    writeFileSync(join(dir, 'config.json'), '{"model_type": "lfm2_vl",');
    const r = await inspectModelFolder(dir);
    expect(r).toMatchObject({ kind: null, supported: false });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^config\.json is not valid JSON: /);
  });

  it('drops a dtype whose session is missing and says which file', async () => {
    const dir = lfmFolder();
    unlinkSync(join(dir, 'onnx', 'vision_encoder_q4.onnx'));
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(true);
    expect(r.dtypes).toEqual(['fp32']);
    expect(r.bytesByDtype.q4).toBeUndefined();
    expect(r.problems).toEqual(['onnx/vision_encoder_q4.onnx is missing for dtype q4']);
  });

  it('drops a dtype whose external data is missing, declared by config or referenced by the graph', async () => {
    const dir = lfmFolder();
    unlinkSync(join(dir, 'onnx', 'decoder_model_merged.onnx_data_1'));
    unlinkSync(join(dir, 'onnx', 'decoder_model_merged_q4.onnx_data'));
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(false);
    expect(r.dtypes).toEqual([]);
    expect(r.problems).toEqual([
      'onnx/decoder_model_merged.onnx_data_1 is missing for dtype fp32: onnx/decoder_model_merged.onnx keeps its weights there',
      'onnx/decoder_model_merged_q4.onnx_data is missing for dtype q4: onnx/decoder_model_merged_q4.onnx keeps its weights there',
      'no dtype has all three ONNX sessions (embed_tokens, vision_encoder, decoder_model_merged) in onnx/',
    ]);
  });

  it('recognises an unsupported image-text-to-text model_type and lists the supported ones', async () => {
    const dir = fresh();
    writeFakeVlmFolder(dir, { modelType: 'smolvlm', dtypes: ['fp32'] });
    writeJson(dir, 'config.json', { model_type: 'qwen2_vl', vision_config: {}, text_config: {} });
    const r = await inspectModelFolder(dir);
    expect(r).toMatchObject({ kind: 'vlm', architecture: 'qwen2_vl', supported: false, dtypes: ['fp32'] });
    expect(r.supportReason).toBe(`model_type "qwen2_vl" is an image-text-to-text model the studio can't run; supported: lfm2_vl, smolvlm, idefics3`);
    expect(r.problems).toEqual([r.supportReason]);
  });

  it('says a text-only model_type is not a VLM', async () => {
    const dir = fresh();
    writeJson(dir, 'config.json', { model_type: 'bert' });
    const r = await inspectModelFolder(dir);
    expect(r).toMatchObject({ kind: null, architecture: 'bert', supported: false });
    expect(r.problems[0]).toBe('model_type "bert" is not an image-text-to-text model; supported: lfm2_vl, smolvlm, idefics3');
  });

  it('explains an LFM2-VL chat template kept only in chat_template.jinja', async () => {
    const dir = lfmFolder();
    writeJson(dir, 'tokenizer_config.json', { tokenizer_class: 'PreTrainedTokenizerFast' });
    writeFileSync(join(dir, 'chat_template.jinja'), '{{ messages }}');
    const r = await inspectModelFolder(dir);
    expect(r.supported).toBe(false);
    expect(r.problems).toEqual([
      "chat template missing: LFM2-VL reads it from tokenizer_config.json (chat_template.jinja is not read: copy its text into tokenizer_config.json's chat_template)",
    ]);
  });

  it('explains a SmolVLM folder without processor_config.json image_seq_len', async () => {
    const dir = fresh();
    writeFakeVlmFolder(dir, { modelType: 'smolvlm', dtypes: ['fp32'] });
    writeJson(dir, 'processor_config.json', { processor_class: 'Idefics3Processor' });
    expect((await inspectModelFolder(dir)).problems).toEqual(["processor_config.json has no image_seq_len: SmolVLM can't size the image tokens"]);
    unlinkSync(join(dir, 'processor_config.json'));
    expect((await inspectModelFolder(dir)).problems).toEqual(['processor_config.json is missing: SmolVLM needs it for image_seq_len']);
  });

  it('explains a classifier without labels.txt, and a folder that is no model', async () => {
    const dir = fresh();
    cpSync(join(asset('models', 'mobilenetv2-12-int8'), 'mobilenetv2-12-int8.onnx'), join(dir, 'model.onnx'));
    const r = await inspectModelFolder(dir);
    expect(r).toMatchObject({ kind: 'onnx-classifier', supported: false, classifier: { onnxFile: 'model.onnx', labelCount: 0 } });
    expect(r.problems).toEqual(["labels.txt is missing: the classifier's class names are unknown (one name per line)"]);
    const other = fresh();
    writeFileSync(join(other, 'notes.txt'), 'hello');
    expect((await inspectModelFolder(other)).problems).toEqual([
      'not a model folder: expected config.json (vision-language model) or a .onnx file with labels.txt (classifier)',
    ]);
  });

  it('throws only for a path that is missing or not a folder', async () => {
    await expect(inspectModelFolder(join(root, 'nope'))).rejects.toThrow(/^Model folder not found: /);
    const file = join(root, 'file.txt');
    writeFileSync(file, 'x');
    await expect(inspectModelFolder(file)).rejects.toThrow(/^Not a folder: /);
  });
});
