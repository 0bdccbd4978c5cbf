/**
 * Where onnxruntime-node keeps its native libraries and which optional ones (the CUDA execution
 * provider) its own installer would add for this platform, read from the package's install metadata
 * so a new onnxruntime-node release needs no change here.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

export interface OrtPackage {
  /** Folder of the installed onnxruntime-node package. */
  dir: string;
  /** bin/napi-v6/<platform>/<arch>: the folder its installer writes into. */
  binDir: string;
  /** The package's own installer script (script/install.js). */
  installer: string;
}

interface InstallMetadata {
  requirements: Record<string, string[]>;
  manifests: Record<string, Record<string, unknown>>;
}

/** Locates the onnxruntime-node package this process loads. */
export function locateOrtPackage(platform: string = process.platform, arch: string = process.arch): OrtPackage {
  const pkgJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  const dir = dirname(pkgJson);
  return { dir, binDir: join(dir, 'bin', 'napi-v6', platform, arch), installer: join(dir, 'script', 'install.js') };
}

/** File names of the CUDA provider libraries the installer adds on this platform; null where it has no CUDA download. */
export function cudaRuntimeFiles(pkg: OrtPackage, platform: string = process.platform, arch: string = process.arch): string[] | null {
  const metadataFile = join(pkg.dir, 'script', 'install-metadata.js');
  if (!existsSync(metadataFile)) return null;
  const metadata = createRequire(import.meta.url)(metadataFile) as InstallMetadata;
  const key = `${platform}/${arch}`;
  const manifestName = Object.keys(metadata.manifests).find((k) => k.startsWith(`${key}:cuda`));
  if (!manifestName) return null;
  return Object.keys(metadata.manifests[manifestName]).map((f) => basename(f));
}

/** The CUDA provider files from `files` that are not in `binDir`. */
export function missingFiles(binDir: string, files: string[]): string[] {
  return files.filter((f) => !existsSync(join(binDir, f)));
}
