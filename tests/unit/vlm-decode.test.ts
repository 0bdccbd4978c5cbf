/** Raw / constrained / scored decoding on tiny random-weight LFM2-VL and SmolVLM models with real photos. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm, type TinyVlmArch } from '../../tools/tiny-vlm';
import {
  VlmError,
  bareSessionsRun,
  buildTrie,
  buildVlmInputs,
  decodeConstrained,
  decodeRaw,
  decodeScored,
  labelTokenSequences,
  loadVlm,
  scoreLabelTokens,
  scoreLabelTokensFullPass,
  type PromptSpec,
  type TrieNode,
  type VlmHandle,
} from '../../src/main/inference/vlm';
import { ASSETS, OXFORD_PETS, assetFiles } from '../fixtures/real-photos';
import { planLengthGroups, planTrieCalls } from '../../src/main/inference/vlm/label-trie-plan';
import { STANFORD_CARS_MAKES } from '../support/car-makers';

const CARS_DIR = join(ASSETS, 'datasets/stanford-cars-6-makes');
const photos = (dir: string, n: number) => assetFiles(dir, n).map((f) => join(dir, f));
const IMAGES = [
  ...photos(join(OXFORD_PETS, 'cats'), 2),
  ...photos(join(OXFORD_PETS, 'dogs'), 2),
  ...photos(join(CARS_DIR, 'Chevrolet'), 1),
  ...photos(join(CARS_DIR, 'Ford'), 1),
];
const PETS = ['cat', 'dog'];
/** Shared prefixes on purpose: Ch-evrolet/Ch-rysler, Ford ⊂ Ford Motor (a label that is a prefix of another). */
const CARS = ['Chevrolet', 'Chrysler', 'Cadillac', 'Ford', 'Ford Motor', 'Dodge', 'Audi', 'BMW', 'Hyundai', 'Honda'];
const SEEDS = [1, 2, 3];
const MAKES_49 = [...STANFORD_CARS_MAKES];

const prompt = (labels: string[]): PromptSpec => ({
  system: 'You are an expert at classifying images.',
  user: 'Which of the following labels best describes the image?\n\n{{labels}}\n\nAnswer with a single label.',
  labels,
});

/** Greedy walk over the trie using per-token log-probs taken from whole-label scores. */
function greedyFromScores(root: TrieNode, seqs: number[][], tokenLps: number[][], endId: number): number {
  const lp = new Map<string, number>(); // "prefix|next" → log p(next | prefix)
  seqs.forEach((seq, i) => {
    seq.forEach((t, k) => lp.set(`${seq.slice(0, k).join(',')}|${t}`, tokenLps[i][k]));
    lp.set(`${seq.join(',')}|${endId}`, tokenLps[i][seq.length]);
  });
  let node = root;
  const path: number[] = [];
  for (;;) {
    const options = [...node.children.keys()];
    if (node.labelIndex !== undefined) options.push(endId);
    const best = options.reduce((a, b) => (lp.get(`${path.join(',')}|${b}`)! > lp.get(`${path.join(',')}|${a}`)! ? b : a));
    if (best === endId) return node.labelIndex!;
    path.push(best);
    node = node.children.get(best)!;
  }
}

describe.each(['lfm2-vl', 'smolvlm'] as TinyVlmArch[])('%s decoding', (arch) => {
  const handles: VlmHandle[] = [];
  beforeAll(async () => {
    for (const seed of SEEDS) handles.push(await loadVlm({ modelDir: ensureTinyVlm(arch, seed), device: 'cpu' }));
  });
  afterAll(async () => {
    for (const h of handles) await h.dispose();
  });

  it('tokenises labels into several tokens with the arch answer prefix', () => {
    const seqs = labelTokenSequences(handles[0], CARS);
    expect(Math.min(...seqs.map((s) => s.length))).toBeGreaterThan(1);
    seqs.forEach((s, i) => expect(handles[0].tokenizer.decode(s)).toBe(handles[0].answerPrefix + CARS[i]));
    expect(seqs[0][0]).toBe(seqs[1][0]); // Chevrolet / Chrysler share their first token
  });

  it('constrained decoding never leaves the label set (seeds × photos × label sets)', async () => {
    const seen = new Set<string>();
    for (const h of handles) {
      for (const img of IMAGES) {
        for (const labels of [PETS, CARS]) {
          const r = await decodeConstrained(h, img, prompt(labels));
          expect(labels).toContain(r.label);
          seen.add(r.label);
          const seq = labelTokenSequences(h, [r.label])[0];
          expect(r.tokenIds).toEqual([...seq, h.endOfTurnId]);
          for (const s of r.steps) {
            expect(s.constrainedLogProb).toBeLessThanOrEqual(1e-9);
            expect(s.logProb).toBeLessThanOrEqual(s.constrainedLogProb + 1e-9);
          }
          expect(r.sequenceProb).toBeGreaterThan(0);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(1); // the answers do depend on the model and the image
  });

  it('scored: probabilities over labels sum to 1, sorted, top-k and confidence consistent', async () => {
    for (const h of handles) {
      const r = await decodeScored(h, IMAGES[0], prompt(CARS), { topK: 3, batchSize: 4 });
      expect(r.scores.map((s) => s.label).sort()).toEqual([...CARS].sort());
      expect(r.scores.reduce((a, s) => a + s.prob, 0)).toBeCloseTo(1, 9);
      for (let i = 1; i < r.scores.length; i++) expect(r.scores[i - 1].prob).toBeGreaterThanOrEqual(r.scores[i].prob);
      expect(r.topK).toHaveLength(3);
      expect(r.confidence).toBe(r.top.prob);
      expect(r.top).toBe(r.scores[0]);
    }
  });

  it('scores from the cloned prompt cache equal full forward passes without cache (1e-4)', async () => {
    for (const h of handles.slice(0, 2)) {
      for (const img of [IMAGES[0], IMAGES[4]]) {
        const seqs = labelTokenSequences(h, CARS);
        const { inputs } = await buildVlmInputs(h, img, prompt(CARS));
        const full = await scoreLabelTokensFullPass(h, inputs, seqs);
        // Every call layout: trie walk (caches continued), whole labels grouped by length, and model.forward.
        for (const opts of [{ plan: planTrieCalls }, { plan: planLengthGroups }, { plan: planTrieCalls, viaForward: true }, {}]) {
          const layout = await scoreLabelTokens(h, inputs, seqs, { batchSize: 3, ...opts });
          layout.forEach((lps, i) => {
            expect(lps).toHaveLength(seqs[i].length + 1);
            lps.forEach((lp, k) => expect(Math.abs(lp - full[i][k])).toBeLessThan(1e-4));
          });
        }
        const cached = await scoreLabelTokens(h, inputs, seqs);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const argmax = (rows: number[][]) => rows.map(sum).reduce((b, v, i, a) => (v > a[b] ? i : b), 0);
        expect(argmax(cached)).toBe(argmax(full)); // scored argmax = exhaustive whole-label argmax
      }
    }
  });

  it('constrained greedy = greedy walk of the trie under the scored per-token log-probs, with the same step log-probs', async () => {
    let greedyDiffersFromScoredTop = 0;
    for (const h of handles) {
      for (const img of IMAGES.slice(0, 4)) {
        for (const labels of [PETS, CARS]) {
          const seqs = labelTokenSequences(h, labels);
          const { inputs } = await buildVlmInputs(h, img, prompt(labels));
          const lps = await scoreLabelTokens(h, inputs, seqs);
          const c = await decodeConstrained(h, img, prompt(labels));
          expect(labels[greedyFromScores(buildTrie(seqs), seqs, lps, h.endOfTurnId)]).toBe(c.label);
          const chosen = lps[labels.indexOf(c.label)];
          c.steps.forEach((s, k) => expect(Math.abs(s.logProb - chosen[k])).toBeLessThan(1e-4));
          const scored = await decodeScored(h, img, prompt(labels));
          if (scored.top.label !== c.label) greedyDiffersFromScoredTop++;
          // Greedy's label is never more probable than the scored top label.
          expect(scored.scores.find((s) => s.label === c.label)!.logProb).toBeLessThanOrEqual(scored.top.logProb + 1e-9);
        }
      }
    }
    // Greedy trie decoding really can pick a label that is not the most probable whole label
    // (here 16/24 cases for lfm2-vl, 9/24 for smolvlm with seeds 1-3).
    expect(greedyDiffersFromScoredTop).toBeGreaterThan(0);
  });

  it('49 labels: trie scoring in calls of ≤ 8 rows equals one row per call and full passes', async () => {
    const h = handles[1];
    expect(MAKES_49).toHaveLength(49);
    const seqs = labelTokenSequences(h, MAKES_49);
    const { inputs } = await buildVlmInputs(h, IMAGES[5], prompt(MAKES_49));
    const batched = await scoreLabelTokens(h, inputs, seqs, { batchSize: 8 });
    const single = await scoreLabelTokens(h, inputs, seqs, { batchSize: 1 });
    batched.forEach((lps, i) => lps.forEach((lp, k) => expect(Math.abs(lp - single[i][k])).toBeLessThan(1e-4)));
    const pick = [0, 9, 10, 17, 28, 48];
    const full = await scoreLabelTokensFullPass(h, inputs, pick.map((i) => seqs[i]));
    pick.forEach((i, j) => batched[i].forEach((lp, k) => expect(Math.abs(lp - full[j][k])).toBeLessThan(1e-4)));
    const r = await decodeScored(h, IMAGES[5], prompt(MAKES_49), { topK: 5 });
    expect(r.scores.reduce((a, s) => a + s.prob, 0)).toBeCloseTo(1, 9);
    expect(MAKES_49).toContain((await decodeConstrained(h, IMAGES[5], prompt(MAKES_49))).label);
  });

  it('raw mode: random weights answer junk, reported as off-label (null)', async () => {
    for (const h of handles) {
      const r = await decodeRaw(h, IMAGES[0], prompt(PETS), { maxNewTokens: 8, minNewTokens: 8 });
      expect(r.tokenIds).toHaveLength(8);
      expect(r.label).toBeNull();
      expect(typeof r.text).toBe('string');
    }
  });

  it('bare onnxruntime sessions produce the same greedy tokens as transformers.js generate', async () => {
    const h = handles[0];
    const { inputs } = await buildVlmInputs(h, IMAGES[2], prompt(PETS));
    const raw = await decodeRaw(h, IMAGES[2], prompt(PETS), { maxNewTokens: 10, minNewTokens: 10 });
    const bare = await bareSessionsRun(h.modelDir, inputs, { maxNewTokens: 10, minNewTokens: 10, eosIds: h.eosIds });
    expect(bare.tokenIds).toEqual(raw.tokenIds);
  });

  it('rejects unusable label sets', async () => {
    const h = handles[0];
    await expect(decodeConstrained(h, IMAGES[0], prompt([]))).rejects.toBeInstanceOf(VlmError);
    await expect(decodeScored(h, IMAGES[0], prompt(['cat', 'cat']))).rejects.toThrow(/tokenize identically/);
    await expect(decodeScored(h, IMAGES[0], prompt(['cat', ' '])) ).rejects.toThrow(/must not be empty/);
  });
});
