/**
 * The generated Modal app file and the CLI boundary's pure parts: the file compiles with python3 and its AST names the
 * GPU, timeout, volume mount, pinned image and spawn entrypoint; the GPU pins track the CPU ones; the fine-tune
 * trainer command is exact; CLI output parsing (app id, logged-out detection, token masking) behaves.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modalAppSource, readAppSpec, readGpuRequirements, type ModalAppSpec } from '../../src/main/modal/modal-app-file';
import { failure, modalEnv, NOT_LOGGED_IN, parseAppId, redact } from '../../src/main/modal/modal-cli';
import { modalFinetuneOptions, modalTrainerCommand } from '../../src/main/modal/modal-finetune';
import { makeBundle } from '../fixtures/ssh-job-kind';
import { cleanupTempDirs, makeTempDir } from '../fixtures/temp-dirs';
import { REPO_ROOT } from '../support/assets';

afterEach(cleanupTempDirs);

const TRAINER = join(REPO_ROOT, 'trainer');
const spec = (over: Partial<ModalAppSpec> = {}): ModalAppSpec => ({
  appName: 'vcs-job-1234abcd',
  volume: 'vcs-studio-jobs',
  jobDir: 'jobs/1234abcd-0000',
  gpu: 'A100-80GB',
  timeoutSeconds: 14_400,
  requirements: readGpuRequirements(TRAINER),
  command: modalTrainerCommand({ mode: 'train' }),
  ...over,
});

/** Python's own view of the file: decorator keywords, the image chain and the entrypoint, as JSON. */
const AST_PROBE = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
out = {"functions": {}, "calls": []}
for node in ast.walk(tree):
    if isinstance(node, ast.FunctionDef):
        out["functions"][node.name] = [ast.unparse(d) for d in node.decorator_list]
    if isinstance(node, ast.Call):
        out["calls"].append(ast.unparse(node.func))
print(json.dumps(out))
`;

describe('the generated Modal app file', () => {
  it('compiles with python3 and names the GPU, timeout, volume, pinned image and the spawned function', () => {
    const dir = makeTempDir('vcs-modal-app-');
    const file = join(dir, 'modal_app.py');
    writeFileSync(file, modalAppSource(spec({ command: { argv: ['python3', 'it\'s "quoted"\n', '{job_dir}/out'], env: { A: 'b"""c' } } })));
    execFileSync('python3', ['-m', 'py_compile', file]);
    const ast = JSON.parse(execFileSync('python3', ['-c', AST_PROBE, file], { encoding: 'utf8' })) as { functions: Record<string, string[]>; calls: string[] };
    expect(ast.functions.run_job).toEqual(["app.function(image=image, gpu='A100-80GB', timeout=14400, volumes={MOUNT: volume})"]);
    expect(ast.functions.main).toEqual(['app.local_entrypoint()']);
    expect(ast.calls).toEqual(expect.arrayContaining(['modal.App', 'modal.Volume.from_name', 'volume.commit', 'run_job.spawn', 'subprocess.call']));
    const source = readFileSync(file, 'utf8');
    expect(source).toContain('modal.Volume.from_name("vcs-studio-jobs", create_if_missing=True)');
    expect(source).toContain('modal.Image.debian_slim(python_version="3.12").pip_install(\n    "torch==2.13.0",\n    "transformers==5.18.0",');
    expect(source).toContain('"bitsandbytes==0.50.2"');
    expect(source).toContain('COMMIT_SECONDS = 30');
    // The embedded spec survives quotes and newlines, for the container and for the stand-in CLI alike.
    const back = readAppSpec(source);
    expect(back.command).toEqual({ argv: ['python3', 'it\'s "quoted"\n', '{job_dir}/out'], env: { A: 'b"""c' } });
    const fromPython = execFileSync('python3', ['-c', `import json,re,sys; s=open(sys.argv[1]).read(); print(json.dumps(json.loads(eval(re.search(r'^JOB = json.loads\\((.*)\\)$', s, re.M).group(1)))))`, file], { encoding: 'utf8' });
    expect(JSON.parse(fromPython)).toEqual(back);
  });

  it('runs its function body under a STAND-IN modal SDK: the job runs in its folder on the volume, logs, commits periodically, writes exit', { timeout: 30_000 }, () => {
    const dir = makeTempDir('vcs-modal-app-');
    const volume = join(dir, 'volume');
    const job = join(volume, 'jobs', 'j1');
    mkdirSync(job, { recursive: true });
    makeBundle(join(job, 'bundle'), 5, 80);
    const file = join(dir, 'modal_app.py');
    const command = { argv: ['python3', '{job_dir}/bundle/stand_in_trainer.py'] };
    writeFileSync(file, modalAppSource(spec({ jobDir: 'jobs/j1', gpu: 'L4', timeoutSeconds: 600, command })));
    const probe = [
      'import importlib.util, json, sys',
      'spec = importlib.util.spec_from_file_location("app_file", sys.argv[1]); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      'm.MOUNT = sys.argv[2]; m.COMMIT_SECONDS = 0.05',
      'code = m.run_job()',
      'print(json.dumps({"code": code, "commits": m.volume.commits, "volume": m.volume.name, "options": {k: v for k, v in m.app.functions["run_job"].items() if k in ("gpu", "timeout")}, "image": m.image.steps}))',
    ].join('\n');
    const env = { ...process.env, PYTHONPATH: join(REPO_ROOT, 'tests/support/modal-sdk-stand-in') };
    const got = JSON.parse(execFileSync('python3', ['-c', probe, file, volume], { encoding: 'utf8', env })) as { code: number; commits: number; volume: string; options: object; image: [string, unknown][] };
    expect(got.code).toBe(0);
    expect(got.commits).toBeGreaterThanOrEqual(3); // periodic ones while the 400 ms job ran, and the final one
    expect(got.volume).toBe('vcs-studio-jobs');
    expect(got.options).toEqual({ gpu: 'L4', timeout: 600 });
    expect(got.image).toEqual([['debian_slim', '3.12'], ['pip_install', readGpuRequirements(TRAINER)]]);
    expect(readFileSync(join(job, 'exit'), 'utf8')).toBe('0\n');
    expect(readFileSync(join(job, 'out/metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(Object.keys((JSON.parse(readFileSync(join(job, 'out/result.json'), 'utf8')) as { files: object }).files)).toEqual(['export/config.json', 'export/model.onnx']);
    expect(readFileSync(join(job, 'out/train.log'), 'utf8')).toContain('training done');
  });

  it('refuses an empty command and a non-positive timeout', () => {
    expect(() => modalAppSource(spec({ command: { argv: [] } }))).toThrow('the job command is empty');
    expect(() => modalAppSource(spec({ timeoutSeconds: 0 }))).toThrow('timeout must be a positive number of seconds');
  });

  it('pins the GPU image like the CPU venv: same versions, CUDA torch instead of +cpu, plus bitsandbytes', () => {
    const gpu = new Map(readGpuRequirements(TRAINER).map((l) => l.split('==') as [string, string]));
    const cpu = readFileSync(join(TRAINER, 'requirements.txt'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
    for (const line of cpu) {
      const [name, version] = line.split('==') as [string, string];
      expect(gpu.get(name), name).toBe(version.replace('+cpu', ''));
    }
    expect(gpu.get('torch')).toBe('2.13.0');
    expect(gpu.get('transformers')).toBe('5.18.0');
    expect([...gpu.keys()]).toEqual(expect.arrayContaining(['peft', 'accelerate', 'bitsandbytes', 'onnx', 'onnxruntime', 'numpy', 'pyyaml']));
    const bad = makeTempDir('vcs-pins-');
    writeFileSync(join(bad, 'requirements-gpu.txt'), 'torch>=2\n');
    expect(() => readGpuRequirements(bad)).toThrow(/"torch>=2" is not a pinned requirement/);
  });
});

describe('the fine-tune command on Modal', () => {
  it('runs the trainer package from the bundle on the volume, offline, writing out/', () => {
    expect(modalTrainerCommand({ mode: 'train' })).toEqual({
      argv: ['python', '-m', 'lfm2vl_trainer', 'train', '--base', '{job_dir}/bundle/base', '--inputs', '{job_dir}/bundle/inputs', '--config', '{job_dir}/bundle/finetune.yaml', '--out', '{job_dir}/out'],
      cwd: '{job_dir}/bundle/trainer',
      env: { PYTHONPATH: '{job_dir}/bundle/trainer', HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' },
    });
    expect(modalTrainerCommand({ mode: 'mini', resume: 'resume/checkpoints/step-40' }).argv).toEqual([
      'python', '-m', 'lfm2vl_trainer', 'mini', '--base', '{job_dir}/bundle/base', '--mobilenet', '{job_dir}/bundle/mobilenet.onnx',
      '--inputs', '{job_dir}/bundle/inputs', '--config', '{job_dir}/bundle/finetune.yaml', '--out', '{job_dir}/out', '--resume', '{job_dir}/bundle/resume/checkpoints/step-40',
    ]);
    expect(() => modalTrainerCommand({ mode: 'train', resume: '../x/step-1' })).toThrow('not a checkpoint reference');
  });

  it('maps the spec backend onto the executor options', () => {
    const o = modalFinetuneOptions<{ dir: string }>({
      trainerDir: TRAINER,
      uploadDir: (p) => p.dir,
      layout: () => ({ mode: 'train' }),
      backend: () => ({ kind: 'modal', gpu: 'H100', timeoutMinutes: 90 }),
    });
    expect([o.gpu({ dir: 'x' }), o.timeoutMinutes({ dir: 'x' }), o.bundleDir({ dir: 'x' })]).toEqual(['H100', 90, 'x']);
    expect(o.requirements()).toContain('torch==2.13.0');
    expect(o.trainerArgs({ dir: 'x' }).argv.slice(0, 4)).toEqual(['python', '-m', 'lfm2vl_trainer', 'train']);
  });
});

describe('the modal CLI boundary', () => {
  it('reads the app id from modal run output, spots a logged-out CLI and masks token bytes', () => {
    expect(parseAppId('✓ Initialized. View run at https://modal.com/apps/me/main/ap-Ab12Cd34Ef56Gh78\n')).toBe('ap-Ab12Cd34Ef56Gh78');
    expect(parseAppId('Error: something else')).toBeNull();
    const out = { code: 1, stdout: Buffer.alloc(0), stderr: 'Token missing. Could not authenticate client. ... run `modal token new`.' };
    expect(failure(out, 'x').message).toBe(NOT_LOGGED_IN);
    expect(failure({ code: 1, stdout: Buffer.from('Error: Volume not found\n'), stderr: '' }, 'creating').message).toBe('creating failed: Error: Volume not found');
    const token = { tokenId: 'ak-123456', tokenSecret: 'as-abcdef' };
    expect(redact('id ak-123456 secret as-abcdef', token)).toBe('id *** secret ***');
    expect(modalEnv(token)).toMatchObject({ MODAL_TOKEN_ID: 'ak-123456', MODAL_TOKEN_SECRET: 'as-abcdef' });
  });
});
