/** CLI: writes a tiny random-weight VLM folder (`tsx scripts/make-tiny-vlm.ts --arch lfm2-vl|smolvlm|idefics3 --out <dir> [--seed N] [--size tiny|bench] [--no-quantized]`). */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TINY_VLM_ARCHES, writeTinyVlm, type TinyVlmArch } from '../tools/tiny-vlm';

const { values } = parseArgs({
  options: {
    arch: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    size: { type: 'string', default: 'tiny' },
    'no-quantized': { type: 'boolean', default: false },
  },
});
const arch = values.arch as TinyVlmArch | undefined;
if (!arch || !TINY_VLM_ARCHES.includes(arch) || !values.out) {
  console.error(`usage: tsx scripts/make-tiny-vlm.ts --arch ${TINY_VLM_ARCHES.join('|')} --out <dir> [--seed N] [--size tiny|bench] [--no-quantized]`);
  process.exit(2);
}
const seed = Number(values.seed);
if (!Number.isInteger(seed) || seed < 0) {
  console.error(`--seed must be a non-negative integer, got ${values.seed}`);
  process.exit(2);
}
const size = values.size;
if (size !== 'tiny' && size !== 'bench') {
  console.error(`--size must be tiny (tests, ~300 KB) or bench (~100M parameters, for throughput), got ${size}`);
  process.exit(2);
}
const result = writeTinyVlm({ arch, outDir: resolve(values.out), seed, size, quantized: values['no-quantized'] ? false : undefined });
for (const [name, sha] of Object.entries(result.files)) console.log(`${sha.slice(0, 12)}  ${name}`);
console.log(`${Object.keys(result.files).length} files, ${result.totalBytes} bytes → ${result.dir}`);
