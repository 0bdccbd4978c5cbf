/** `npm run studio -- models create-mini-vlm`: builds and registers a mini-VLM base; Ctrl-C cancels it and leaves neither a model nor a half-built folder. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listModels } from '../../src/main/models/model-registry';
import { openWorkspace } from '../../src/main/workspace/workspace';
import { REPO_ROOT } from '../support/assets';

const ENV = { ...process.env, OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2' };
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function cli(root: string, name: string, interruptOn?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli/index.ts', 'models', 'create-mini-vlm', '--workspace', root, '--name', name], { cwd: REPO_ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (interruptOn?.test(stdout)) {
        interruptOn = undefined;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('studio models create-mini-vlm', () => {
  it('registers the mini VLM under the given name', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vcs-mini-cli-'));
    roots.push(root);
    const r = await cli(root, 'cli mini');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('[35%] exporting ONNX: MobileNetV2 + projector vision encoder, embeddings, decoder');
    expect(r.stdout).toMatch(/registered model #1 "cli mini" \(.*models\/mini-vlm\/cli-mini\)/);
    const ws = openWorkspace(root);
    try {
      expect(listModels(ws.db).map((m) => [m.name, m.architecture])).toEqual([['cli mini', 'lfm2_vl']]);
    } finally {
      ws.close();
    }
    const again = await cli(root, 'cli mini');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('A model named "cli mini" is already registered');
  });

  it('Ctrl-C cancels: nothing is registered and no half-built folder is left', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vcs-mini-cli-'));
    roots.push(root);
    const r = await cli(root, 'stopped', /building the small language model/);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mini VLM creation cancelled; nothing was registered');
    const ws = openWorkspace(root);
    try {
      expect(listModels(ws.db)).toEqual([]);
    } finally {
      ws.close();
    }
    const store = join(root, 'models', 'mini-vlm');
    expect(existsSync(store) ? readdirSync(store) : []).toEqual([]);
  });
});
