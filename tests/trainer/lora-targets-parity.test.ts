/**
 * The studio's LoRA preview (src/main/finetunes/lora-targets.ts, from config.json alone) against the trainer's own
 * resolve_targets on the real tiny LFM2-VL and SmolVLM models (transformers builds them; PEFT wraps what it returns,
 * and train.log lists it): per requested name the same modules the same number of times, the same total, and the
 * same refusal of a list that wraps nothing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loraTargetsFor } from '../../src/main/finetunes/lora-targets';
import { SEED_LORA_TARGETS } from '../../src/shared/finetune-types';
import { ensureTinyBase, ensureTinySmolBase } from './fixtures';
import { TRAINER_DIR, trainerPython } from './python';

interface Case {
  names: string[];
  vision: boolean;
}

const CASES: Case[] = [
  { names: [...SEED_LORA_TARGETS], vision: true },
  { names: [...SEED_LORA_TARGETS], vision: false },
  { names: ['out_proj', 'in_proj', 'linear_1', 'linear_2', 'proj', 'fc1', 'fc2', 'w1', 'w3', 'mlp.fc2', 'self_attn.o_proj', 'self_attn.out_proj'], vision: true },
  { names: ['q_proj', 'proj', 'fc1'], vision: false },
];

/** Per case: the trainer's module count for the whole list, and per name {where: count} (its short names, as its report logs them). */
const PY = `
import collections, json, sys
from pathlib import Path
from lfm2vl_trainer.arch import load_model
from lfm2vl_trainer.targets import resolve_targets, _short
model, arch = load_model(Path(sys.argv[1]))
out = []
for case in json.loads(sys.argv[2]):
    def wrap(names):
        try:
            return resolve_targets(model, names, case["vision"], arch)[0]
        except ValueError as err:
            return str(err)
    full = wrap(case["names"])
    per = {}
    for n in case["names"]:
        hits = wrap([n])
        per[n] = dict(collections.Counter(_short(h, arch) for h in hits)) if isinstance(hits, list) else {}
    out.append({"wrapped": len(full) if isinstance(full, list) else full, "per": per})
print("RESULT " + json.dumps({"arch": arch.name, "cases": out}))
`;

interface PyOut {
  arch: string;
  cases: { wrapped: number | string; per: Record<string, Record<string, number>> }[];
}

async function trainerTargets(modelDir: string, cases: Case[]): Promise<PyOut> {
  const env = { ...process.env, OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2', HF_HUB_OFFLINE: '1' };
  const r = await promisify(execFile)(trainerPython(), ['-c', PY, modelDir, JSON.stringify(cases)], { cwd: TRAINER_DIR, env, maxBuffer: 16 * 1024 * 1024 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`the trainer printed no result:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice('RESULT '.length)) as PyOut;
}

function studioTargets(modelDir: string, c: Case): { wrapped: number; per: Record<string, Record<string, number>> } {
  const { matches, wrapped } = loraTargetsFor(modelDir, c.names, c.vision);
  return { wrapped, per: Object.fromEntries(matches.map((m) => [m.name, Object.fromEntries(m.modules.map((x) => [x.where, x.count]))])) };
}

describe("the LoRA preview equals the trainer's resolve_targets on the real tiny models", () => {
  for (const [arch, ensure] of [
    ['LFM2-VL', ensureTinyBase],
    ['SmolVLM', ensureTinySmolBase],
  ] as const) {
    it(`${arch}: the same modules per name and in total, for the seeds' list, without vision, and for each tower's own names`, async () => {
      const dir = await ensure();
      const py = await trainerTargets(dir, [...CASES, { names: ['c_attn', 'c_proj'], vision: true }]);
      expect(py.arch).toBe(arch);
      CASES.forEach((c, i) => {
        const ours = studioTargets(dir, c);
        expect(ours, `${arch} ${JSON.stringify(c)}`).toEqual(py.cases[i]);
        expect(ours.wrapped).toBeGreaterThan(0);
      });
      // Nothing matches: the trainer refuses, and so does the preview, in the same words.
      const refusal = py.cases[CASES.length]!.wrapped as string;
      expect(refusal).toContain(`match no Linear module of ${arch}`);
      expect(() => loraTargetsFor(dir, ['c_attn', 'c_proj'], true)).toThrow(`lora_target_modules [c_attn, c_proj] match no Linear module of ${arch}`);
    });
  }

  it("SmolVLM's Llama decoder keeps the seeds' names; its SigLIP tower and connector are reached through the alias table and proj", async () => {
    const dir = await ensureTinySmolBase();
    const { per } = studioTargets(dir, { names: ['o_proj', 'gate_proj', 'up_proj', 'proj'], vision: true });
    expect(Object.keys(per.o_proj!).sort()).toEqual(['text self_attn.o_proj', 'vision self_attn.out_proj']);
    expect(Object.keys(per.gate_proj!)).toEqual(['text mlp.gate_proj']);
    expect(Object.keys(per.up_proj!).sort()).toEqual(['text mlp.up_proj', 'vision mlp.fc1']);
    expect(per.proj).toEqual({ 'projector proj': 1 });
  });
});
