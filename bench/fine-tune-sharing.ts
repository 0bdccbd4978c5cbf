/**
 * Base + 3 decoder-only fine-tunes of the bench-size LFM2-VL, shared vs separate sessions: load time and RSS delta,
 * then the same four as concurrent eval JOBS (shared inference thread vs one thread per job); one fresh process per
 * scenario; figures only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureTinyVlm, writeFineTuneCopy } from '../tools/tiny-vlm';
import { loadVlm, onnxFingerprint, sessionCacheStats, VLM_SESSIONS, type VlmHandle } from '../src/main/inference/vlm';
import { timeAsync, timeIt } from './stats';
import { measureEvalJobs, type JobsFigures, type JobsScenario } from './fine-tune-eval-jobs';

/** 'lone': the base alone through the shared path (nothing to share, so nothing is hashed). */
type Scenario = 'shared' | 'separate' | 'lone';
interface Figures {
  fingerprintMs: number;
  loadMs: number;
  rssDeltaMb: number;
  sessions: number;
}

const mb = (bytes: number) => bytes / (1 << 20);

/** The base folder and three decoder-only fine-tunes (made once under bench/.data, reused after). */
function modelDirs(dataRoot: string): string[] {
  const base = ensureTinyVlm('lfm2-vl', 1, undefined, 'bench');
  const dirs = [base];
  for (const seed of [1, 2, 3]) {
    const dir = join(dataRoot, `lfm2-vl-bench-decoder-ft-${seed}`);
    if (!existsSync(join(dir, 'config.json'))) {
      const staging = `${dir}.tmp-${process.pid}`;
      writeFineTuneCopy(base, staging, ['decoder_model_merged'], { seed });
      renameSync(staging, dir);
    }
    dirs.push(dir);
  }
  return dirs;
}

/** Child side: loads every folder one way and reports the figures as one JSON line. */
async function measure(scenario: Scenario, dirs: string[]): Promise<Figures> {
  let fingerprintMs = 0;
  if (scenario === 'shared') {
    // Cold fingerprints (read + hash every file once); the loads below then hit the fingerprint cache.
    fingerprintMs = timeIt(() => {
      for (const d of dirs) for (const s of VLM_SESSIONS) onnxFingerprint(join(d, 'onnx', `${s}.onnx`));
    }).ms;
  }
  const rss0 = process.memoryUsage().rss;
  const handles: VlmHandle[] = [];
  const load = await timeAsync(async () => {
    for (const modelDir of scenario === 'lone' ? dirs.slice(0, 1) : dirs) handles.push(await loadVlm({ modelDir, shareSessions: scenario !== 'separate' }));
  });
  const rssDeltaMb = mb(process.memoryUsage().rss - rss0);
  const sessions = scenario === 'separate' ? handles.length * 3 : sessionCacheStats().length;
  await Promise.all(handles.map((h) => h.dispose()));
  return { fingerprintMs, loadMs: load.ms, rssDeltaMb, sessions };
}

/** Samples each eval job scores in the jobs scenarios (BENCH_EVAL_SAMPLES, default 2). */
const EVAL_SAMPLES = Number(process.env.BENCH_EVAL_SAMPLES ?? 2);

function runChild(scenario: Scenario, dataRoot: string): Figures;
function runChild(scenario: JobsScenario, dataRoot: string): JobsFigures;
function runChild(scenario: Scenario | JobsScenario, dataRoot: string): Figures | JobsFigures {
  const out = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', scenario, dataRoot], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`${scenario} child failed (${out.status}): ${out.stderr.slice(-2000)}`);
  return JSON.parse(line) as Figures | JobsFigures;
}

/** Parent side: prepares the folders, measures both scenarios, prints the comparison. */
export async function benchFineTuneSharing(dataRoot: string, log: (m: string) => void): Promise<void> {
  mkdirSync(dataRoot, { recursive: true });
  const dirs = modelDirs(dataRoot);
  log(`fine-tune sharing: bench-size LFM2-VL base + ${dirs.length - 1} decoder-only fine-tunes (CPU, fp32), each scenario in a fresh process`);
  const separate = runChild('separate', dataRoot);
  const shared = runChild('shared', dataRoot);
  const lone = runChild('lone', dataRoot);
  const row = (name: string, f: Figures) =>
    `  ${name.padEnd(9)} ${String(f.sessions).padStart(2)} sessions, load ${(f.loadMs / 1000).toFixed(2)} s` +
    (f.fingerprintMs > 0 ? ` (+ ${(f.fingerprintMs / 1000).toFixed(2)} s cold fingerprints, cached after)` : '') +
    `, RSS +${f.rssDeltaMb.toFixed(0)} MB`;
  log(row('separate', separate));
  log(row('shared', shared));
  log(`  base alone through the shared path (nothing hashed): load ${(lone.loadMs / 1000).toFixed(2)} s, RSS +${lone.rssDeltaMb.toFixed(0)} MB`);
  log(
    `  shared/separate: load ${(shared.loadMs / separate.loadMs).toFixed(2)}×, ` +
      `load + cold fingerprints ${((shared.loadMs + shared.fingerprintMs) / separate.loadMs).toFixed(2)}×, RSS ${(shared.rssDeltaMb / separate.rssDeltaMb).toFixed(2)}×`,
  );
  log(`eval jobs: the same 4 models as 4 concurrent eval jobs through the JobManager, ${EVAL_SAMPLES} scored sample(s) each, each scenario in a fresh process`);
  const threads = runChild('jobs-threads', dataRoot);
  const host = runChild('jobs-shared', dataRoot);
  const jobsRow = (name: string, f: JobsFigures) =>
    `  ${name.padEnd(24)} ${f.visionSessions === null ? 'a vision session per job thread' : `${f.visionSessions} vision session(s) in all`}, load + 1st sample ${(f.firstResultMs / 1000).toFixed(2)} s, ` +
    `all done ${(f.totalMs / 1000).toFixed(2)} s, peak RSS +${f.peakRssDeltaMb.toFixed(0)} MB`;
  log(jobsRow('one thread per job', threads));
  log(jobsRow('shared inference thread', host));
  log(
    `  shared/per-job: load + 1st sample ${(host.firstResultMs / threads.firstResultMs).toFixed(2)}×, all done ${(host.totalMs / threads.totalMs).toFixed(2)}×, ` +
      `peak RSS ${(host.peakRssDeltaMb / threads.peakRssDeltaMb).toFixed(2)}×`,
  );
}

if (process.argv[2] === '--child') {
  const scenario = process.argv[3] as Scenario | JobsScenario;
  const dataRoot = process.argv[4];
  const figures = scenario === 'jobs-shared' || scenario === 'jobs-threads' ? measureEvalJobs(scenario, modelDirs(dataRoot), EVAL_SAMPLES, dataRoot) : measure(scenario, modelDirs(dataRoot));
  figures.then(
    (f) => console.log(JSON.stringify(f)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  benchFineTuneSharing(resolve(process.env.BENCH_DIR ?? join(import.meta.dirname, '.data')), (m) => console.log(m)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
