/** loadVlm / detectDevices: clear errors for broken folders, unsupported models and devices that cannot start. */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm } from '../../tools/tiny-vlm';
import { VlmError, detectDevices, inspectModelDir, loadVlm } from '../../src/main/inference/vlm';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';

afterAll(cleanupTempDirs);

/** A private copy of a cached tiny model, safe to break. */
function copyOf(arch: 'lfm2-vl' | 'smolvlm'): string {
  const dir = join(makeTempDir(), 'model');
  cpSync(ensureTinyVlm(arch, 1), dir, { recursive: true });
  return dir;
}

async function loadError(p: Promise<unknown>): Promise<VlmError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VlmError);
  return err as VlmError;
}

describe('loadVlm', () => {
  it.each(['lfm2-vl', 'smolvlm'] as const)('loads %s with fp32 and q8 weights', async (arch) => {
    for (const dtype of ['fp32', 'q8'] as const) {
      const h = await loadVlm({ modelDir: ensureTinyVlm(arch, 1), dtype, device: 'cpu' });
      expect(h.arch).toBe(arch === 'lfm2-vl' ? 'lfm2_vl' : 'smolvlm');
      expect(h.dtype.decoder_model_merged).toBe(dtype);
      expect(h.eosIds).toContain(h.endOfTurnId);
      expect(h.tokenizer.decode([h.endOfTurnId])).toBe(arch === 'lfm2-vl' ? '<|im_end|>' : '<end_of_utterance>');
      await h.dispose();
    }
  });

  it('lists every missing file (a missing onnx session, a missing dtype variant)', async () => {
    const dir = copyOf('lfm2-vl');
    rmSync(join(dir, 'onnx/vision_encoder.onnx'));
    const e1 = await loadError(loadVlm({ modelDir: dir }));
    expect(e1.reason).toBe('missing-files');
    expect(e1.missing).toEqual(['onnx/vision_encoder.onnx']);
    expect(e1.message).toContain('onnx/vision_encoder.onnx');
    const e2 = await loadError(loadVlm({ modelDir: dir, dtype: 'fp16' }));
    expect(e2.missing).toEqual(['onnx/embed_tokens_fp16.onnx', 'onnx/vision_encoder_fp16.onnx', 'onnx/decoder_model_merged_fp16.onnx']);
    const e3 = await loadError(loadVlm({ modelDir: dir, dtype: { vision_encoder: 'q8', decoder_model_merged: 'q4' } }));
    expect(e3.missing).toEqual(['onnx/decoder_model_merged_q4.onnx']);
  });

  it('reports a broken config.json, a missing config, and external data that is not there', async () => {
    const dir = copyOf('smolvlm');
    writeFileSync(join(dir, 'config.json'), '{ "model_type": "smolvlm", ');
    const e1 = await loadError(loadVlm({ modelDir: dir }));
    expect(e1.reason).toBe('bad-config');
    expect(e1.message).toMatch(/config\.json .*not valid JSON/);
    rmSync(join(dir, 'config.json'));
    const e2 = await loadError(loadVlm({ modelDir: dir }));
    expect(e2.missing).toEqual(['config.json']);
    const dir2 = copyOf('smolvlm');
    const cfg = JSON.parse(readFileSync(join(dir2, 'config.json'), 'utf8'));
    cfg['transformers.js_config'] = { use_external_data_format: { 'decoder_model_merged.onnx': 2 } };
    writeFileSync(join(dir2, 'config.json'), JSON.stringify(cfg));
    const e3 = await loadError(loadVlm({ modelDir: dir2 }));
    expect(e3.missing).toEqual(['onnx/decoder_model_merged.onnx_data', 'onnx/decoder_model_merged.onnx_data_1']);
    await expect(loadVlm({ modelDir: join(dir2, 'nope') })).rejects.toThrow(/Model folder not found/);
  });

  it('rejects unsupported architectures naming the supported ones', async () => {
    const dir = copyOf('lfm2-vl');
    const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, model_type: 'qwen2_vl' }));
    const e = await loadError(loadVlm({ modelDir: dir }));
    expect(e.reason).toBe('unsupported-arch');
    expect(e.message).toContain('"qwen2_vl"');
    expect(e.message).toContain('supported: lfm2_vl, smolvlm, idefics3');
    delete cfg.text_config.layer_types;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(cfg));
    expect(() => inspectModelDir(dir)).toThrow(/layer_types/);
  });

  it('falls back to chat_template.jinja when tokenizer_config.json has no template', async () => {
    const dir = copyOf('lfm2-vl');
    const tc = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'));
    delete tc.chat_template;
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tc));
    const h = await loadVlm({ modelDir: dir });
    const t = (h.tokenizer as unknown as { chat_template: string }).chat_template;
    expect(t).toBe(readFileSync(join(dir, 'chat_template.jinja'), 'utf8'));
    await h.dispose();
    rmSync(join(dir, 'chat_template.jinja'));
    const e = await loadError(loadVlm({ modelDir: dir }));
    expect(e.message).toMatch(/no chat template/);
  });
});

describe('devices', () => {
  it('detects cpu and reports why cuda/webgpu cannot start; loadVlm refuses them with the CPU fallback hint', async () => {
    const devices = await detectDevices();
    expect(devices.map((d) => d.device)).toEqual(['cpu', 'cuda', 'webgpu']);
    expect(devices[0].available).toBe(true);
    for (const d of devices.slice(1)) {
      if (d.available) {
        const h = await loadVlm({ modelDir: ensureTinyVlm('lfm2-vl', 1), device: d.device });
        expect(h.device).toBe(d.device);
        await h.dispose();
      } else {
        expect(d.reason && d.reason.length).toBeGreaterThan(0);
        const e = await loadError(loadVlm({ modelDir: ensureTinyVlm('lfm2-vl', 1), device: d.device }));
        expect(e.reason).toBe('device-unavailable');
        expect(e.message).toContain(`"${d.device}"`);
        expect(e.message).toContain('CPU is available');
      }
    }
  });
});
