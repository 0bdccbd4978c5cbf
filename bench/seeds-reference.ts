/**
 * The seeds' stack as the speed reference for `npm run bench:inference`: transformers + PyTorch eager generate() in the
 * trainer venv on the SAME weights (bench-size LFM2-VL and SmolVLM built from the real config classes, exported with the
 * trainer's exporters so the studio loads them), the same photos and the same processor tensors, free and
 * label-constrained (prefix_allowed_tokens_fn, as Outlines restricts tokens). Skipped, with one line, without the venv.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pythonEnvDir } from '../scripts/python-env.mjs';
import { lfm2VlFiles, type ArchFiles } from '../tools/tiny-vlm/arch-lfm2-vl';
import { smolVlmFiles } from '../tools/tiny-vlm/arch-smolvlm';
import { buildVlmInputs, decodeConstrained, decodeRaw, labelTokenSequences, loadVlm, type PromptSpec } from '../src/main/inference/vlm';
import { writeNpy } from '../trainer/studio/npy';

const ROOT = resolve(import.meta.dirname, '..');
const TRAINER = join(ROOT, 'trainer');
/** Bump when the reference models' bytes change. */
const VERSION = 1;
const CACHE = join(ROOT, '.cache', 'bench-reference');
const ROUNDS = Number(process.env.BENCH_REFERENCE_ROUNDS ?? 1);
const PROMPT: PromptSpec = { system: 'You are a veterinarian.', user: 'Which animal is this?\n\n{{labels}}\n\nAnswer with one label.', labels: ['cat', 'dog'] };
const TOKENS = 8;

type Arch = 'lfm2-vl' | 'smolvlm';
const FILES: Record<Arch, () => ArchFiles> = { 'lfm2-vl': () => lfm2VlFiles('bench'), smolvlm: () => smolVlmFiles('smolvlm', 'bench') };

function python(py: string, args: string[]): string {
  const r = spawnSync(py, args, { cwd: TRAINER, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' } });
  if (r.status !== 0) throw new Error(`python ${args.join(' ')} exited ${r.status ?? r.signal}:\n${`${r.stdout}${r.stderr}`.slice(-3000)}`);
  return r.stdout;
}

/** PyTorch folder (real transformers class, bench-size widths from tools/tiny-vlm, seeded init) and its studio-layout export, cached in .cache/. */
function ensureModels(py: string, arch: Arch): { pt: string; onnx: string } {
  const pt = join(CACHE, `${arch}-bench-pt-v${VERSION}`);
  const onnx = join(CACHE, `${arch}-bench-onnx-v${VERSION}`);
  if (!existsSync(join(pt, 'model.safetensors'))) {
    const staging = `${pt}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const files = join(staging, 'files');
    mkdirSync(files, { recursive: true });
    const spec = FILES[arch]();
    for (const [name, obj] of Object.entries(spec.json)) writeFileSync(join(files, name), `${JSON.stringify(obj, null, 2)}\n`);
    for (const [name, text] of Object.entries(spec.text)) writeFileSync(join(files, name), text);
    python(py, ['-m', 'lfm2vl_trainer.fixture', '--files', files, '--out', join(staging, 'model'), '--seed', '1', '--keep-widths']);
    renameSync(join(staging, 'model'), pt);
    rmSync(staging, { recursive: true, force: true });
  }
  if (!existsSync(join(onnx, 'onnx', 'decoder_model_merged.onnx'))) {
    const staging = `${onnx}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    python(py, ['-m', 'lfm2vl_trainer', 'export', '--model', pt, '--out', staging]);
    renameSync(staging, onnx);
  }
  return { pt, onnx };
}

interface SeedsResult {
  torch_threads: number;
  free: { images_per_s: number; tokens: number[][] };
  constrained: { images_per_s: number; tokens: number[][] };
}

const perS = (n: number, ms: number) => (n * 1000) / ms;
const fmt = (x: number) => x.toFixed(2);

async function benchArch(py: string, arch: Arch, images: string[]): Promise<void> {
  const t0 = performance.now();
  const { pt, onnx } = ensureModels(py, arch);
  const prepS = (performance.now() - t0) / 1000;
  const handle = await loadVlm({ modelDir: onnx });
  const dir = mkdtempSync(join(tmpdir(), 'vcs-seeds-ref-'));
  try {
    // The processor's tensors, written once: the reference runs on exactly what the studio feeds its sessions.
    const samples = [];
    for (const [i, img] of images.entries()) {
      const { inputs } = await buildVlmInputs(handle, img, PROMPT);
      const files: Record<string, string> = {};
      for (const [name, t] of Object.entries(inputs)) {
        if (name === 'attention_mask') continue;
        files[name] = `${i}.${name}.npy`;
        const data = t.type === 'bool' ? Array.from(t.data as Uint8Array, Number) : (t.data as ArrayLike<number | bigint>);
        writeNpy(join(dir, files[name]), data, t.dims, t.type === 'float32' ? 'float32' : 'int64');
      }
      samples.push({ image: img, files });
    }
    const manifest = { end_of_turn_id: handle.endOfTurnId, eos_ids: handle.eosIds, label_token_ids: labelTokenSequences(handle, PROMPT.labels), samples };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    // Studio: the eval engine's raw and constrained decoding (each call preprocesses its image) after one warm-up.
    await decodeRaw(handle, images[0], PROMPT, { maxNewTokens: TOKENS });
    await decodeConstrained(handle, images[0], PROMPT);
    const ms = { pre: 0, free: 0, constrained: 0 };
    const studioTokens: { free: number[][]; constrained: number[][] } = { free: [], constrained: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const img of images) {
        let t = performance.now();
        await buildVlmInputs(handle, img, PROMPT);
        ms.pre += performance.now() - t;
        t = performance.now();
        const raw = await decodeRaw(handle, img, PROMPT, { maxNewTokens: TOKENS });
        ms.free += performance.now() - t;
        t = performance.now();
        const c = await decodeConstrained(handle, img, PROMPT);
        ms.constrained += performance.now() - t;
        if (r === 0) studioTokens.free.push(raw.tokenIds);
        if (r === 0) studioTokens.constrained.push(c.tokenIds);
      }
    }
    const out = join(dir, 'seeds.json');
    python(py, ['-m', 'lfm2vl_trainer', 'seeds-bench', '--model', pt, '--inputs', dir, '--out', out, '--rounds', String(ROUNDS), '--max-new-tokens', String(TOKENS)]);
    const seeds = JSON.parse(readFileSync(out, 'utf8')) as SeedsResult;
    const n = images.length * ROUNDS;
    console.log(`seeds' stack reference — ${arch} [bench size, same weights: ${pt}${prepS > 1 ? `, built + exported in ${prepS.toFixed(0)} s` : ''}], ${images.length} photos × ${ROUNDS}, torch threads ${seeds.torch_threads}:`);
    for (const mode of ['free', 'constrained'] as const) {
      const studio = perS(n, ms[mode]);
      const studioGen = perS(n, ms[mode] - ms.pre);
      const ref = seeds[mode].images_per_s;
      const same = JSON.stringify(seeds[mode].tokens) === JSON.stringify(studioTokens[mode]);
      const what = mode === 'free' ? `free (≤ ${TOKENS} new tokens)` : 'constrained (2 labels)';
      console.log(
        `  ${what}: studio ${fmt(studio)} images/s incl. preprocessing (${fmt(studioGen)} without) vs transformers + PyTorch eager ${fmt(ref)} images/s on the same tensors → ${(studioGen / ref).toFixed(2)}× like for like; same tokens: ${same ? 'yes' : 'NO'}`,
      );
    }
  } finally {
    await handle.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the reference for both architectures, or prints why it is skipped. */
export async function benchSeedsReference(images: string[]): Promise<void> {
  const env = pythonEnvDir();
  if (!existsSync(join(env, '.complete'))) {
    console.log(`seeds' stack reference: skipped (no trainer venv at ${env}; \`npm run python:env\` builds it)`);
    return;
  }
  const py = join(env, 'bin', 'python');
  for (const arch of ['lfm2-vl', 'smolvlm'] as const) await benchArch(py, arch, images);
}
