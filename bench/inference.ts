/**
 * `npm run bench:inference`: inference pipeline overhead and decoding-mode cost, measured in one run.
 * - ONNX classifier (real MobileNetV2 when ../shared assets exist): our classifyImages vs bare session.run.
 * - VLM (tiny random-weight LFM2-VL and SmolVLM with the real export layout): transformers.js generation
 *   vs the same three ONNX sessions driven directly, on identical preprocessed inputs; and
 *   raw / constrained / scored time per image for the 2-label and the 49-label (car makers) tasks.
 * Prints medians and ratios; no thresholds are asserted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { percentile } from './stats';
import { ensureTinyVlm } from '../tools/tiny-vlm';
import { bareSessionsRun, buildVlmInputs, createBareSessions, decodeConstrained, decodeRaw, decodeScored, loadVlm } from '../src/main/inference/vlm';
import { greedyConfig } from '../src/main/inference/vlm/greedy-options';
import { loadOnnxClassifier } from '../src/main/inference/classifier/load-onnx-classifier';
import { classifyImages } from '../src/main/inference/classifier/classify';
import { preprocessImage } from '../src/main/inference/classifier/preprocess';
import { IMAGENET_CATS_VS_DOGS } from '../src/main/inference/classifier/class-mapping';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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

async function benchVlm(arch: 'lfm2-vl' | 'smolvlm', images: string[]): Promise<void> {
  const dir = ensureTinyVlm(arch);
  const handle = await loadVlm({ modelDir: dir });
  const sessions = await createBareSessions(dir);
  const prompt2 = { system: 'You are a veterinarian.', user: 'Which animal is this?\n\n{{labels}}\n\nAnswer with one label.', labels: ['cat', 'dog'] };
  const prompt49 = { system: 'You excel at identifying car makers from pictures.', user: 'What car maker do you see in this picture?\nPick one from the following list:\n\n{{labels}}', labels: CAR_MAKERS };
  const tokens = 8;
  const pre: number[] = [];
  const gen: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const img of images) {
      let t = performance.now();
      const { inputs } = await buildVlmInputs(handle, img, prompt2);
      pre.push(performance.now() - t);
      t = performance.now();
      await handle.model.generate({ ...inputs, ...greedyConfig(handle, tokens, tokens) });
      gen.push(performance.now() - t);
      t = performance.now();
      await bareSessionsRun(sessions, inputs as never, { maxNewTokens: tokens, minNewTokens: tokens, eosIds: handle.eosIds });
      bare.push(performance.now() - t);
    }
  }
  console.log(`${arch}: preprocessing ${f(med(pre))}/image; ${tokens}-token greedy generation ours ${f(med(gen))} vs bare InferenceSession.run ${f(med(bare))} → ratio ${(med(gen) / med(bare)).toFixed(2)}× on identical inputs`);
  for (const [name, prompt] of [['2 labels', prompt2], ['49 car makers', prompt49]] as const) {
    const times: Record<string, number[]> = { raw: [], constrained: [], scored: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const img of images) {
        times.raw.push((await decodeRaw(handle, img, prompt, { maxNewTokens: 8 })).ms);
        times.constrained.push((await decodeConstrained(handle, img, prompt)).ms);
        times.scored.push((await decodeScored(handle, img, prompt)).ms);
      }
    }
    const raw = med(times.raw);
    console.log(`${arch} ${name}: raw ${f(raw)} · constrained ${f(med(times.constrained))} (${(med(times.constrained) / raw).toFixed(2)}× raw) · scored ${f(med(times.scored))} (${(med(times.scored) / raw).toFixed(2)}× raw) per image, incl. preprocessing`);
  }
  await sessions.release();
  await handle.dispose();
}

async function main(): Promise<void> {
  console.log(`VLM Classifier Studio inference bench — CPU, ${process.arch}, node ${process.version}, ${ROUNDS} rounds`);
  const images = photos(10);
  await benchClassifier(images);
  for (const arch of ['lfm2-vl', 'smolvlm'] as const) await benchVlm(arch, images.slice(0, 6));
  console.log('note: the tiny VLMs have ~100k parameters, so fixed per-call overhead weighs far more than on a 450M–3B model.');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
