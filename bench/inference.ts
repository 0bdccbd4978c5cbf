/**
 * `npm run bench:inference`: inference pipeline overhead and decoding-mode cost, measured in one run.
 * - ONNX classifier (real MobileNetV2 when ../shared assets exist): our classifyImages vs bare session.run.
 * - VLM (random-weight LFM2-VL and SmolVLM with the real export layout; BENCH_VLM_SIZE=tiny|bench|both,
 *   'bench' ≈ 100M parameters with realistic widths): preprocessing (ours vs the stock processor),
 *   transformers.js generation vs the same three ONNX sessions driven directly on identical inputs, the
 *   whole per-image pipeline, and raw / constrained / scored time per image for 2 and 49 labels, with scored mode
 *   before (bench/scored-rows-reference.ts, one row per label) and after (planned calls) as ratios to raw generation
 *   (greedy, ≤ 8 new tokens) and to a single prefill, in wall and CPU time; for bench-size models also the 49 makers
 *   with a word-level vocabulary (BENCH_WORD_VOCAB=0 skips it), since the generated tokenizer is near byte-level.
 * - The seeds' stack as the speed reference (bench/seeds-reference.ts): transformers + PyTorch eager on the same
 *   exported weights, photos and tensors, free and label-constrained, images/s of both and the ratio (needs the venv).
 * Prints medians and ratios; no thresholds are asserted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { percentile } from './stats';
import { benchSeedsReference } from './seeds-reference';
import { ensureTinyVlm } from '../tools/tiny-vlm';
import { AutoProcessor, RawImage, Tensor, type Processor } from '@huggingface/transformers';
import { runDecoder } from '../src/main/inference/vlm/decoder-run';
import { cacheFromOutputs } from '../src/main/inference/vlm/kv-cache';
import { bareSessionsRun, buildMessages, buildVlmInputs, createBareSessions, decodeConstrained, decodeRaw, decodeScored, labelTokenSequences, loadVlm, type PromptSpec, type VlmArchitecture, type VlmHandle } from '../src/main/inference/vlm';
import { greedyConfig } from '../src/main/inference/vlm/greedy-options';
import { decodeScoredRows } from './scored-rows-reference';
import { wordVocabVariant } from './word-vocab-variant';
import { planScoredCalls } from '../src/main/inference/vlm/label-trie-plan';
import { loadOnnxClassifier } from '../src/main/inference/classifier/load-onnx-classifier';
import { classifyImages } from '../src/main/inference/classifier/classify';
import { preprocessImage } from '../src/main/inference/classifier/preprocess';
import { IMAGENET_CATS_VS_DOGS } from '../src/main/inference/classifier/class-mapping';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** BENCH_SCORED_ONLY=1: only the per-mode timings (raw / constrained / scored before and after / prefill), no classifier, generation-vs-bare or seeds reference. */
const SCORED_ONLY = process.env.BENCH_SCORED_ONLY === '1';
const CAR_MAKERS = 'AM Acura Aston Audi BMW Bentley Bugatti Buick Cadillac Chevrolet Chrysler Daewoo Dodge Eagle FIAT Ferrari Fisker Ford GMC Geo HUMMER Honda Hyundai Infiniti Isuzu Jaguar Jeep Lamborghini Land Lincoln MINI Maybach Mazda McLaren Mercedes-Benz Mitsubishi Nissan Plymouth Porsche Ram Rolls-Royce Scion Spyker Suzuki Tesla Toyota Volkswagen Volvo smart'.split(' ');
const SAMPLE_DIR = resolve(import.meta.dirname, '..', 'resources', 'sample-project', 'pets');
const MOBILENET = resolve(import.meta.dirname, '..', '..', 'shared', 'assets', 'models', 'mobilenetv2-12-int8');

const med = (xs: number[]) => percentile(xs, 50);
const f = (n: number) => `${n.toFixed(2)} ms`;

function photos(n: number): string[] {
  const out: string[] = [];
  for (const cls of ['cat', 'dog']) {
    for (const file of readdirSync(join(SAMPLE_DIR, cls)).filter((x) => /_\d+\.jpg$/.test(x)).sort().slice(0, n / 2)) out.push(join(SAMPLE_DIR, cls, file));
  }
  return out;
}

async function benchClassifier(images: string[]): Promise<void> {
  if (!existsSync(MOBILENET)) {
    console.log('classifier: skipped (../shared/assets/models/mobilenetv2-12-int8 not found)');
    return;
  }
  const model = await loadOnnxClassifier(MOBILENET);
  const buffers = images.map((p) => readFileSync(p));
  const ours: number[] = [];
  const bare: number[] = [];
  const bareModel: number[] = [];
  await classifyImages(model, [buffers[0]], IMAGENET_CATS_VS_DOGS); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const buf of buffers) {
      let t = performance.now();
      await classifyImages(model, [buf], IMAGENET_CATS_VS_DOGS);
      ours.push(performance.now() - t);
      t = performance.now();
      const tensor = await preprocessImage(buf);
      const t1 = performance.now();
      await model.session.run({ [model.inputName]: new ort.Tensor('float32', tensor, [1, 3, model.inputHeight, model.inputWidth]) });
      bareModel.push(performance.now() - t1);
      bare.push(performance.now() - t);
    }
  }
  console.log(`classifier (MobileNetV2 int8, ${buffers.length} photos × ${ROUNDS}): ours ${f(med(ours))}/image vs bare preprocess+session.run ${f(med(bare))} → ratio ${(med(ours) / med(bare)).toFixed(3)}× (session.run alone ${f(med(bareModel))})`);
  await model.session.release();
}

type VlmSize = 'tiny' | 'bench';
const SIZES: VlmSize[] = (process.env.BENCH_VLM_SIZE ?? 'both') === 'both' ? ['tiny', 'bench'] : [process.env.BENCH_VLM_SIZE as VlmSize];
/** Images per arch: bench-size models take ~0.5–3 s per image on a 2-core CPU. */
const VLM_IMAGES: Record<VlmSize, number> = { tiny: 6, bench: Number(process.env.BENCH_VLM_BENCH_IMAGES ?? 4) };
const ratio = (a: number, b: number) => `${(a / b).toFixed(3)}×`;

/** Stock transformers.js processor (no fast preprocess) → same inputs as buildVlmInputs, for the before/after line. */
async function stockInputs(proc: Processor, architecture: VlmArchitecture, path: string, prompt: PromptSpec): Promise<void> {
  const p = proc as unknown as ((a: unknown, b: unknown) => Promise<unknown>) & { apply_chat_template(m: unknown, o: object): string };
  const text = p.apply_chat_template(buildMessages(prompt, architecture), { add_generation_prompt: true });
  const raw = await RawImage.read(path);
  await (architecture.processorArgs === 'images-text' ? p(raw, text) : p(text, raw));
}

async function benchVlm(arch: 'lfm2-vl' | 'smolvlm', size: VlmSize, images: string[]): Promise<void> {
  let t = performance.now();
  const dir = ensureTinyVlm(arch, 1, undefined, size);
  const genS = (performance.now() - t) / 1000;
  const handle = await loadVlm({ modelDir: dir });
  const stock = (await AutoProcessor.from_pretrained(dir, { local_files_only: true })) as Processor;
  const sessions = await createBareSessions(dir);
  const params = await countParams(dir);
  const name = `${arch} [${size}, ${(params / 1e6).toFixed(params < 1e6 ? 2 : 0)}M params${genS > 1 ? `, generated in ${genS.toFixed(1)} s` : ''}]`;
  const prompt2 = { system: 'You are a veterinarian.', user: 'Which animal is this?\n\n{{labels}}\n\nAnswer with one label.', labels: ['cat', 'dog'] };
  const prompt49 = { system: 'You excel at identifying car makers from pictures.', user: 'What car maker do you see in this picture?\nPick one from the following list:\n\n{{labels}}', labels: CAR_MAKERS };
  const tokens = 8;
  if (SCORED_ONLY) {
    console.log(`${name}:`);
    await decodeRaw(handle, images[0], prompt2, { maxNewTokens: tokens }); // warm-up (memory planning, page faults)
    for (const [label, prompt] of [['2 labels', prompt2], ['49 car makers', prompt49]] as const) await benchModes(handle, images, label, prompt);
    await benchWordVocab(dir, size, images, prompt49);
    await sessions.release();
    await handle.dispose();
    return;
  }
  const m: Record<string, number[]> = { preStock: [], pre: [], gen: [], bare: [], step: [], bareStep: [] };
  // Warm-up: first runs pay for session memory planning, JIT and page faults on both sides.
  const warm = await buildVlmInputs(handle, images[0], prompt2);
  await stockInputs(stock, handle.architecture, images[0], prompt2);
  await handle.model.generate({ ...warm.inputs, ...greedyConfig(handle, tokens, tokens) });
  await bareSessionsRun(sessions, warm.inputs as never, { maxNewTokens: tokens, minNewTokens: tokens, eosIds: handle.eosIds });
  for (let r = 0; r < ROUNDS; r++) {
    for (const img of images) {
      t = performance.now();
      await stockInputs(stock, handle.architecture, img, prompt2);
      m.preStock.push(performance.now() - t);
      t = performance.now();
      const { inputs } = await buildVlmInputs(handle, img, prompt2);
      m.pre.push(performance.now() - t);
      // Alternate which side runs first, so warm caches and CPU boost favour neither.
      const runOurs = async () => {
        const t0 = performance.now();
        await handle.model.generate({ ...inputs, ...greedyConfig(handle, tokens, tokens) });
        m.gen.push(performance.now() - t0);
      };
      const runBare = async () => {
        const b = await bareSessionsRun(sessions, inputs as never, { maxNewTokens: tokens, minNewTokens: tokens, eosIds: handle.eosIds });
        m.bare.push(b.totalMs);
        m.bareStep.push(b.decodeMs / (tokens - 1));
      };
      if ((m.gen.length + r) % 2 === 0) await runOurs().then(runBare);
      else await runBare().then(runOurs);
    }
  }
  const [pre, gen, bare] = [med(m.pre), med(m.gen), med(m.bare)];
  console.log(`${name}: preprocessing ${f(pre)}/image (stock transformers.js processor ${f(med(m.preStock))} → ${ratio(pre, med(m.preStock))}); bare decoder step ${f(med(m.bareStep))}`);
  console.log(`  ${tokens}-token greedy generation: ours ${f(gen)} vs bare InferenceSession.run ${f(bare)} → ${ratio(gen, bare)} on identical inputs`);
  console.log(`  whole per-image pipeline (preprocess + generate): ours ${f(pre + gen)} vs same preprocess + bare ${f(pre + bare)} → ${ratio(pre + gen, pre + bare)}`);
  for (const [label, prompt] of [['2 labels', prompt2], ['49 car makers', prompt49]] as const) await benchModes(handle, images, label, prompt);
  await benchWordVocab(dir, size, images, prompt49);
  await sessions.release();
  await handle.dispose();
}

/** Bench size only: the 49 makers again on a copy of the model whose tokenizer has whole-word tokens (bench/word-vocab-variant.ts). */
async function benchWordVocab(dir: string, size: VlmSize, images: string[], prompt: PromptSpec): Promise<void> {
  if (size !== 'bench' || process.env.BENCH_WORD_VOCAB === '0') return;
  const handle = await loadVlm({ modelDir: wordVocabVariant(dir, CAR_MAKERS) });
  await benchModes(handle, images, '49 car makers, word-level vocabulary (labels tokenised like a real tokenizer)', prompt);
  await handle.dispose();
}

/** Wall and CPU (all threads) milliseconds of one call; CPU time barely moves when other processes share the cores. */
async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const d = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (d.user + d.system) / 1000 };
}

/**
 * Raw / constrained / scored per image for one label set, plus the two references scored mode is judged by: a single
 * prefill (preprocess + one forward over image and prompt, what every mode pays first) and the previous scored
 * approach (bench/scored-rows-reference.ts, one batch row per label). Prints wall and CPU-time ratios of one run.
 */
async function benchModes(handle: VlmHandle, images: string[], label: string, prompt: PromptSpec): Promise<void> {
  const names = ['raw', 'constrained', 'scored', 'previous', 'prefill', 'floor'] as const;
  const seqs = labelTokenSequences(handle, prompt.labels);
  // Distinct label prefixes = trie nodes: the fewest tokens any layout must feed after the prefill.
  const nodes = new Set(seqs.flatMap((q) => q.map((_, k) => q.slice(0, k + 1).join(',')))).size;
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const runs: Record<(typeof names)[number], (img: string) => Promise<unknown>> = {
    raw: (img) => decodeRaw(handle, img, prompt, { maxNewTokens: 8 }),
    constrained: (img) => decodeConstrained(handle, img, prompt),
    scored: (img) => decodeScored(handle, img, prompt),
    previous: (img) => decodeScoredRows(handle, img, prompt),
    prefill: async (img) => {
      const { inputs } = await buildVlmInputs(handle, img, prompt);
      await (handle.model.forward as (x: Record<string, unknown>) => Promise<unknown>).call(handle.model, { ...inputs });
    },
    // A floor no scorer can beat: the prefill, then all trie nodes fed as one row in one call (no padding, no
    // per-row or per-call overhead beyond one), logits only.
    floor: async (img) => {
      const { inputs } = await buildVlmInputs(handle, img, prompt);
      const pre = await (handle.model.forward as (x: Record<string, unknown>) => Promise<Record<string, unknown>>).call(handle.model, { ...inputs });
      const ids = new Tensor('int64', new BigInt64Array(nodes).fill(BigInt(seqs[0][0])), [1, nodes]);
      await runDecoder(handle.model, ids, inputs.input_ids.dims[1], cacheFromOutputs(pre), false);
    },
  };
  let turn = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const img of images) {
      // Rotate the order so neither side always runs first (warm caches, CPU boost, neighbours' load).
      const order = names.map((_, i) => names[(i + turn) % names.length]);
      turn++;
      for (const n of order) {
        const t = await timed(() => runs[n](img));
        wall[n].push(t.wall);
        cpu[n].push(t.cpu);
      }
    }
  }
  const w = Object.fromEntries(names.map((n) => [n, med(wall[n])])) as Record<(typeof names)[number], number>;
  const c = Object.fromEntries(names.map((n) => [n, med(cpu[n])])) as Record<(typeof names)[number], number>;
  const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const lens = seqs.map((q) => q.length);
  const P = (await buildVlmInputs(handle, images[0], prompt)).promptLength;
  const plan = planScoredCalls(seqs, P);
  const fed = plan.reduce((a, c) => a + c.rows.length * (c.to - c.from), 0);
  const layout = plan.some((c) => c.from > 0) ? 'trie walk' : 'whole labels grouped by length';
  console.log(`  ${label}: ${seqs.length} labels of ${Math.min(...lens)}–${Math.max(...lens)} tokens (mean ${(lens.reduce((a, b) => a + b, 0) / lens.length).toFixed(1)}, ${nodes} trie nodes), prompt ${P} tokens; after the prefill: before ${Math.ceil(seqs.length / 8)} decoder calls, after ${plan.length}, ${layout} (${plan.map((c) => `${c.rows.length}×${c.to - c.from}${c.keepCache ? ' cache kept' : ''}`).join(', ')} rows×tokens, ${fed} fed)`);
  console.log(`    raw ${f(w.raw)} · constrained ${f(w.constrained)} (${x(w.constrained, w.raw)} raw) · scored ${f(w.scored)} · single prefill ${f(w.prefill)} per image, incl. preprocessing`);
  for (const [what, t] of [['wall', w], ['CPU', c]] as const) {
    console.log(`    ${what} ratios: scored before (row per label) ${x(t.previous, t.raw)} raw, ${x(t.previous, t.prefill)} prefill → after (planned calls) ${x(t.scored, t.raw)} raw, ${x(t.scored, t.prefill)} prefill; floor (prefill + ${nodes} trie nodes in one row) ${x(t.floor, t.raw)} raw`);
  }
}

/** Parameters = float32/int8 initializer elements of the fp32 ONNX files (weights dominate; constants are tiny). */
async function countParams(dir: string): Promise<number> {
  const { default: onnxProto } = await import('onnx-proto');
  let n = 0;
  for (const s of ['embed_tokens', 'vision_encoder', 'decoder_model_merged']) {
    const model = onnxProto.onnx.ModelProto.decode(readFileSync(join(dir, 'onnx', `${s}.onnx`)));
    for (const init of model.graph?.initializer ?? []) n += (init.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
  }
  return n;
}

async function main(): Promise<void> {
  console.log(`VLM Classifier Studio inference bench — CPU, ${process.arch}, node ${process.version}, ${ROUNDS} rounds, VLM sizes: ${SIZES.join(', ')}`);
  const images = photos(10);
  if (!SCORED_ONLY) await benchClassifier(images);
  for (const size of SIZES) for (const arch of ['lfm2-vl', 'smolvlm'] as const) await benchVlm(arch, size, images.slice(0, VLM_IMAGES[size]));
  if (!SCORED_ONLY) await benchSeedsReference(images.slice(0, VLM_IMAGES.bench));
  console.log('note: tiny VLMs (~50k parameters) show fixed per-call overhead; bench-size VLMs (~100M, realistic widths) show what it costs next to real compute.');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
