/** Mini-VLM bases (trainer/README.md "Mini-VLM"): a registered folder whose config.json carries the `mini_vlm` block trains with the `mini` trainer and the bundled MobileNetV2. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainerDir } from './lora-targets';

export const MOBILENET_FILE = 'mobilenetv2-12-int8.onnx';

/** True when the model folder is a mini-VLM export (its config.json has the `mini_vlm` block). */
export function isMiniVlm(modelDir: string): boolean {
  try {
    const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as { mini_vlm?: unknown };
    return typeof config.mini_vlm === 'object' && config.mini_vlm !== null;
  } catch {
    return false;
  }
}

/** The bundled frozen encoder, resources/models/mobilenetv2-12-int8/ (source tree, electron-vite bundle or packaged app). */
export function findMobilenet(): string {
  const candidates: string[] = [];
  if (process.env.STUDIO_RESOURCES) candidates.push(process.env.STUDIO_RESOURCES);
  const resourcesPath = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, 'resources'));
  try {
    candidates.push(join(trainerDir(), '..', 'resources'));
  } catch {
    // No trainer folder: only the other places.
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) candidates.push(join(dir, 'resources'));
  for (const c of candidates) {
    const file = join(c, 'models', 'mobilenetv2-12-int8', MOBILENET_FILE);
    if (existsSync(file)) return resolve(file);
  }
  throw new Error(`the bundled MobileNetV2 (${MOBILENET_FILE}) was not found (looked in: ${candidates.join(', ')})`);
}
