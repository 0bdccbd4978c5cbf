/** Session-level export parity on synthetic inputs: LFM2-VL tile shapes the 16 photos never produce (up-sampled position grids), SmolVLM frames with padded regions, and one-token cached decoding. */
import { describe, expect, it } from 'vitest';
import { ensureTinyBase, ensureTinySmolBase } from './fixtures';
import { runTrainerOk } from './python';

describe('ONNX export vs PyTorch, per session (python -m lfm2vl_trainer parity)', () => {
  for (const [name, base] of [['LFM2-VL', ensureTinyBase], ['SmolVLM', ensureTinySmolBase]] as const) {
    it(`${name}: image features, prefill logits and cached-step logits agree within 1e-4`, async () => {
      const r = await runTrainerOk(['parity', '--model', await base()]);
      const diffs = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      expect(Object.keys(diffs).sort()).toEqual(['cached_step_logits', 'image_features', 'prefill_logits']);
      for (const [what, d] of Object.entries(diffs)) expect(d, what).toBeLessThan(1e-4);
    });
  }
});
