/** Scored mode along the label trie: the call plan's bookkeeping, and the same probabilities as the previous row-per-label scorer. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyVlm, type TinyVlmArch } from '../../tools/tiny-vlm';
import { buildVlmInputs, decodeScored, labelTokenSequences, loadVlm, scoreLabelTokens, type PromptSpec, type VlmHandle } from '../../src/main/inference/vlm';
import { planCost, planLengthGroups, planScoredCalls, planTrieCalls, type PlanCall } from '../../src/main/inference/vlm/label-trie-plan';
import { decodeScoredRows, scoreLabelTokensRows } from '../../bench/scored-rows-reference';
import { ASSETS, OXFORD_PETS, assetFiles } from '../fixtures/real-photos';
import { STANFORD_CARS_MAKES } from '../support/car-makers';

const CARS_DIR = join(ASSETS, 'datasets/stanford-cars-6-makes');
const IMAGES = [join(OXFORD_PETS, 'cats', assetFiles(join(OXFORD_PETS, 'cats'), 1)[0]), join(CARS_DIR, 'Ford', assetFiles(join(CARS_DIR, 'Ford'), 1)[0])];
/**
 * 49 labels: 48 Stanford Cars makes (shared prefixes: Chevrolet/Chrysler, Mercedes-Benz/McLaren/Maybach/Mazda,
 * Volkswagen/Volvo…) and "Ford Motor", of which "Ford" is a prefix.
 */
const LABELS_49 = STANFORD_CARS_MAKES.filter((m) => m !== 'smart').flatMap((m) => (m === 'Ford' ? [m, 'Ford Motor'] : [m]));
const prompt = (labels: string[]): PromptSpec => ({
  system: 'You excel at identifying car makers from pictures.',
  user: 'What car maker do you see in this picture?\nPick one from the following list:\n\n{{labels}}',
  labels,
});

describe('planTrieCalls', () => {
  const seqs = [[1, 2, 3], [1, 2, 4], [1, 2], [1, 2, 4, 5, 6, 7], [8], [9, 10, 11, 12, 13, 14, 15, 16], [9, 10, 11, 12, 13, 14, 15, 17]];

  it('reads every label token and the end token exactly once, each from a row fed exactly that label prefix', () => {
    const calls = planTrieCalls(seqs);
    expect(calls[0].from).toBe(0);
    calls.forEach((c, j) => j > 0 && expect(c.from).toBe(calls[j - 1].to));
    const rowPrefix: number[][][] = []; // rowPrefix[call][row] = the label tokens fed up to the end of that call
    calls.forEach((c, j) => {
      rowPrefix.push(c.rows.map((r) => [...(j === 0 ? [] : rowPrefix[j - 1][r.parent]), ...r.tokens]));
      c.rows.forEach((r) => {
        expect(r.tokens.length).toBeGreaterThan(0);
        expect(r.tokens.length).toBeLessThanOrEqual(c.to - c.from);
        // Only rows fed the whole segment may have children: a padded row's cache is never continued.
        if (j > 0) expect(calls[j - 1].rows[r.parent].tokens).toHaveLength(calls[j - 1].to - calls[j - 1].from);
      });
    });
    const seen = seqs.map((s) => new Array<number>(s.length + 1).fill(0));
    seen.forEach((s) => (s[0] = 1)); // slot 0 (first token) comes from the prefill
    calls.forEach((c, j) => {
      for (const r of c.reads) {
        const seq = seqs[r.label];
        seen[r.label][r.slot]++;
        // The row holds the label's first `slot` tokens at the read position, and the target is the next one.
        expect(rowPrefix[j][r.row].slice(0, c.from + r.pos + 1)).toEqual(seq.slice(0, r.slot));
        expect(r.target).toBe(r.slot < seq.length ? seq[r.slot] : -1);
      }
    });
    seen.forEach((s) => expect(s.every((n) => n === 1)).toBe(true));
  });

  it('computes shared prefixes once: a prefix label reuses the longer row, siblings share their parent', () => {
    const calls = planTrieCalls(seqs);
    const fed = calls.reduce((a, c) => a + c.rows.length * (c.to - c.from), 0);
    const rowPerLabel = seqs.length * Math.max(...seqs.map((s) => s.length));
    expect(fed).toBeLessThan(rowPerLabel);
    // [1,2] is a prefix of [1,2,3]: it never gets a row of its own, it reads its end token from a longer label's row.
    for (const c of calls) {
      const prefixRows = c.reads.filter((r) => r.label === 2).map((r) => r.row);
      const longerRows = new Set(c.reads.filter((r) => seqs[r.label].length > 2).map((r) => r.row));
      prefixRows.forEach((row) => expect(longerRows.has(row)).toBe(true));
    }
    // No call feeds the same prefix twice (siblings continue one shared parent row).
    let prefixes: string[] = [];
    calls.forEach((c, j) => {
      prefixes = c.rows.map((r) => `${j === 0 ? '' : prefixes[r.parent]}${r.tokens.join(',')},`);
      expect(new Set(prefixes).size).toBe(prefixes.length);
    });
    expect(calls.length).toBeLessThan(Math.max(...seqs.map((s) => s.length)));
  });

  it('one label, one token: a single one-row call reads only the end token', () => {
    expect(planTrieCalls([[5]])).toEqual([{ from: 0, to: 1, rows: [{ tokens: [5], parent: -1 }], reads: [{ label: 0, slot: 1, row: 0, pos: 0, target: -1 }], keepCache: false }]);
    expect(() => planTrieCalls([[1], []])).toThrow(/at least one token/);
  });
});

describe('planLengthGroups and planScoredCalls', () => {
  const seqs = [[1, 2, 3], [1, 2, 4], [1, 2], [1, 2, 4, 5, 6, 7], [8], [9, 10, 11, 12, 13, 14, 15, 16], [9, 10, 11, 12, 13, 14, 15, 17], [18], [19, 20]];

  it('whole labels from the prompt: every slot read once at its own position, prefix labels share a row, no cache kept', () => {
    const calls = planLengthGroups(seqs, 700);
    const seen = seqs.map((s) => new Array<number>(s.length + 1).fill(0));
    seen.forEach((s) => (s[0] = 1));
    for (const c of calls) {
      expect(c.from).toBe(0);
      expect(c.keepCache).toBe(false);
      c.rows.forEach((r) => {
        expect(r.parent).toBe(-1);
        expect(r.tokens.length).toBeGreaterThan(0);
        expect(r.tokens.length).toBeLessThanOrEqual(c.to);
      });
      expect(Math.max(...c.rows.map((r) => r.tokens.length))).toBe(c.to); // no call is padded past its longest row
      for (const r of c.reads) {
        const seq = seqs[r.label];
        seen[r.label][r.slot]++;
        expect(r.pos).toBe(r.slot - 1);
        expect(c.rows[r.row].tokens.slice(0, r.slot)).toEqual(seq.slice(0, r.slot));
        expect(r.target).toBe(r.slot < seq.length ? seq[r.slot] : -1);
      }
    }
    seen.forEach((s) => expect(s.every((n) => n === 1)).toBe(true));
    // [1,2] and [1,2,4] read from [1,2,4,5,6,7]'s row: 9 labels, 7 distinct rows.
    expect(calls.reduce((a, c) => a + c.rows.length, 0)).toBe(7);
    // Grouping by length feeds fewer padded tokens than one call padded to the longest label.
    const fed = calls.reduce((a, c) => a + c.rows.length * c.to, 0);
    expect(fed).toBeLessThan(7 * 8);
    expect(calls.length).toBeGreaterThan(1);
  });

  it('picks the cheaper plan: groups for labels that share little, the trie walk for labels behind a long shared prefix', () => {
    const distinct = planScoredCalls(seqs, 700);
    expect(distinct).toEqual(planLengthGroups(seqs, 700));
    expect(planCost(distinct, 700)).toBeLessThanOrEqual(planCost(planTrieCalls(seqs, 700), 700));
    // 20 labels "Mercedes-Benz <model>"-like: a 12-token shared prefix, then 1–2 tokens of their own.
    const shared = Array.from({ length: 20 }, (_, i) => [...Array.from({ length: 12 }, (_, k) => 100 + k), 200 + i, ...(i % 2 ? [300 + i] : [])]);
    const chosen: PlanCall[] = planScoredCalls(shared, 700);
    expect(chosen).toEqual(planTrieCalls(shared, 700));
    expect(chosen.some((c) => c.keepCache)).toBe(true);
    expect(planCost(chosen, 700)).toBeLessThan(planCost(planLengthGroups(shared, 700), 700));
  });
});

describe.each(['lfm2-vl', 'smolvlm'] as TinyVlmArch[])('%s: trie scoring = previous row-per-label scoring', (arch) => {
  let h: VlmHandle;
  beforeAll(async () => {
    h = await loadVlm({ modelDir: ensureTinyVlm(arch, 2), device: 'cpu' });
  });
  afterAll(async () => {
    await h.dispose();
  });

  it('49 labels (shared prefixes, a label that is a prefix of another): probabilities agree to 1e-5', async () => {
    expect(LABELS_49).toHaveLength(49);
    const seqs = labelTokenSequences(h, LABELS_49);
    const ford = seqs[LABELS_49.indexOf('Ford')];
    expect(seqs[LABELS_49.indexOf('Ford Motor')].slice(0, ford.length)).toEqual(ford);
    const calls = planTrieCalls(seqs);
    expect(calls.length).toBeLessThan(Math.max(...seqs.map((s) => s.length))); // fewer decoder calls than trie depths
    for (const img of IMAGES) {
      const now = await decodeScored(h, img, prompt(LABELS_49));
      const before = await decodeScoredRows(h, img, prompt(LABELS_49));
      const prob = new Map(before.scores.map((s) => [s.label, s.prob]));
      for (const s of now.scores) expect(Math.abs(s.prob - prob.get(s.label)!)).toBeLessThan(1e-5);
      expect(now.top.label).toBe(before.top.label);
      // Per-token log-probs too, and independent of how the rows are split into decoder calls.
      const { inputs } = await buildVlmInputs(h, img, prompt(LABELS_49));
      const rows = await scoreLabelTokensRows(h, inputs, seqs);
      for (const opts of [{ batchSize: 64 }, { batchSize: 5 }, { plan: planTrieCalls }, { plan: planLengthGroups, batchSize: 5 }]) {
        const trie = await scoreLabelTokens(h, inputs, seqs, opts);
        trie.forEach((lps, i) => {
          expect(lps).toHaveLength(seqs[i].length + 1);
          lps.forEach((lp, k) => expect(Math.abs(lp - rows[i][k])).toBeLessThan(1e-4));
        });
      }
    }
  });
});
