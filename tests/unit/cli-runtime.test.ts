/** `npm run studio -- runtime list | install cuda` as a real child process: plain states, no ONNX Runtime stack text on stdout, clear offline failure. */
import { describe, expect, it } from 'vitest';
import { cudaRuntimeFiles, locateOrtPackage, missingFiles } from '../../src/main/runtime/ort-package';
import { runTsx } from '../support/run-tsx';

const studio = (args: string[], env: NodeJS.ProcessEnv = {}) => runTsx('src/main/cli/index.ts', args, env);

describe('studio runtime', () => {
  it('list prints one plain line per provider', async () => {
    const { code, out } = await studio(['runtime', 'list']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['cpu', 'cuda', 'webgpu']);
    expect(lines[0]).toMatch(/^cpu\s+available/);
    expect(out).not.toMatch(/onnxruntime_src|::|\.cc:\d+/);
  });

  it('list --details adds the runtime’s own message for providers that failed', async () => {
    const { code, out } = await studio(['runtime', 'list', '--details']);
    expect(code).toBe(0);
    if (/^webgpu\s+failed/m.test(out)) expect(out).toMatch(/details: /);
  });

  const cudaMissing = (() => {
    const pkg = locateOrtPackage();
    const files = cudaRuntimeFiles(pkg);
    return files !== null && missingFiles(pkg.binDir, files).length > 0;
  })();

  it.skipIf(!cudaMissing)('install cuda offline exits 1 with one line naming the unreachable host', async () => {
    // A proxy host that never resolves makes the real installer fail the same way offline, on any machine.
    const { code, err } = await studio(['runtime', 'install', 'cuda'], { GLOBAL_AGENT_HTTPS_PROXY: 'http://studio-offline.invalid:3128' });
    expect(code).toBe(1);
    expect(err).toMatch(/^error: Could not install the CUDA runtime: cannot reach studio-offline\.invalid/m);
    expect(err).not.toMatch(/triggerUncaughtException|at GetAddrInfoReqWrap/);
  });

  it('install of an unknown runtime is a usage error; --help prints usage and exits 0', async () => {
    expect((await studio(['runtime', 'install', 'rocm'])).code).toBe(2);
    const help = await studio(['runtime', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/runtime install cuda/);
  });
});
