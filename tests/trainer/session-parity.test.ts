/** Session-level export parity on synthetic inputs: tile shapes the 16 photos never produce (up-sampled position grids) and one-token cached decoding. */
import { describe, expect, it } from 'vitest';
import { ensureTinyBase } from './fixtures';
import { runTrainerOk } from './python';

describe('ONNX export vs PyTorch, per session (python -m lfm2vl_trainer parity)', () => {
  it('image features, prefill logits and cached-step logits agree within 1e-4', async () => {
    const r = await runTrainerOk(['parity', '--model', await ensureTinyBase()]);
    const diffs = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(Object.keys(diffs).sort()).toEqual(['cached_step_logits', 'image_features', 'prefill_logits']);
    for (const [name, d] of Object.entries(diffs)) expect(d, name).toBeLessThan(1e-4);
  });
});
