/** A scratch copy of onnxruntime-node's installer and metadata, so runtime tests never write into the real node_modules. */
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateOrtPackage, type OrtPackage } from '../../src/main/runtime/ort-package';

export function scratchOrtPackage(platform = process.platform, arch = process.arch): OrtPackage & { root: string } {
  const real = locateOrtPackage();
  const root = mkdtempSync(join(tmpdir(), 'vcs-ort-'));
  const dir = join(root, 'onnxruntime-node');
  cpSync(join(real.dir, 'script'), join(dir, 'script'), { recursive: true });
  cpSync(join(real.dir, 'package.json'), join(dir, 'package.json'));
  const binDir = join(dir, 'bin', 'napi-v6', platform, arch);
  mkdirSync(binDir, { recursive: true });
  return { root, dir, binDir, installer: join(dir, 'script', 'install.js') };
}
