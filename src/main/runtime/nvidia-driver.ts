/** Finds an NVIDIA driver without loading CUDA, so the device list can say "no driver" instead of a loader error. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DriverInfo {
  found: boolean;
  /** e.g. "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15" (first line), when known. */
  version?: string;
}

/** True when the dynamic loader knows libcuda.so.1 (containers and WSL have the library without /proc/driver/nvidia). */
function loaderKnowsLibcuda(): boolean {
  for (const dir of ['/usr/lib/wsl/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib/aarch64-linux-gnu', '/usr/local/nvidia/lib64']) {
    if (existsSync(join(dir, 'libcuda.so.1'))) return true;
  }
  try {
    return /libcuda\.so\.1\b/.test(execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }));
  } catch {
    return false;
  }
}

/** Looks for the NVIDIA kernel driver (Linux) or its user-mode library (Linux containers, WSL, Windows). */
export function detectNvidiaDriver(platform: string = process.platform): DriverInfo {
  if (platform === 'linux') {
    const proc = '/proc/driver/nvidia/version';
    if (existsSync(proc)) return { found: true, version: readFileSync(proc, 'utf8').split('\n')[0]?.trim() };
    return { found: loaderKnowsLibcuda() };
  }
  if (platform === 'win32') {
    const systemRoot = process.env.SystemRoot ?? 'C:\\Windows';
    return { found: existsSync(join(systemRoot, 'System32', 'nvcuda.dll')) };
  }
  return { found: false };
}
