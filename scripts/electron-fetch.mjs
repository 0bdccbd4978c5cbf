/**
 * Gets Electron's binary on demand (`npm run electron:fetch`, and the first `npm start`): the install
 * step never downloads it (allowScripts denies electron's postinstall), so installs work offline.
 * Same artifact, checksums and layout as electron's own install.js, plus visible progress.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installedElectronVersion, pinnedElectronRange } from './electron-version.mjs';

const EXECUTABLES = { darwin: 'Electron.app/Contents/MacOS/Electron', mas: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' };

/** Relative path of the executable inside electron/dist for this platform. */
function platformPath() {
  return EXECUTABLES[process.platform] ?? 'electron';
}

/** Absolute path of the Electron executable when the binary is installed, else null. */
export function electronBinaryPath(root) {
  const dir = join(root, 'node_modules', 'electron');
  const version = installedElectronVersion(root);
  if (!version) return null;
  try {
    const installed = readFileSync(join(dir, 'dist', 'version'), 'utf8').replace(/^v/, '').trim();
    const exe = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8'));
    return installed === version && existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

/** One short line for a download error (no stack). */
export function describeFetchError(err) {
  const msg = err instanceof Error ? err.message : String(err);
  const host = /ENOTFOUND ([\w.-]+)/.exec(msg)?.[1];
  if (host) return `cannot reach ${host} (offline or blocked network)`;
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN/.test(msg)) return `network error: ${msg.split('\n')[0]}`;
  return msg.split('\n')[0];
}

/** Prints progress on one line on a terminal, every 10 % elsewhere. */
function progressPrinter(label) {
  let lastTenth = -1;
  return (fraction) => {
    const pct = Math.floor(fraction * 100);
    if (process.stdout.isTTY) process.stdout.write(`\r${label} ${pct}%${pct >= 100 ? '\n' : ''}`);
    else if (Math.floor(pct / 10) > lastTenth) {
      lastTenth = Math.floor(pct / 10);
      console.log(`${label} ${pct}%`);
    }
  };
}

/** Downloads and unpacks the binary for the installed electron package; resolves to its path or rejects. */
export async function fetchElectronBinary(root, { onProgress = progressPrinter('Downloading Electron') } = {}) {
  const existing = electronBinaryPath(root);
  if (existing) return existing;
  const version = installedElectronVersion(root);
  if (!version) throw new Error('the electron package is not installed');
  const dir = join(root, 'node_modules', 'electron');
  const req = createRequire(join(dir, 'package.json'));
  const { downloadArtifact } = req('@electron/get');
  const extract = req('extract-zip');
  const zip = await downloadArtifact({
    version,
    artifactName: 'electron',
    platform: process.platform,
    arch: process.arch,
    checksums: JSON.parse(readFileSync(join(dir, 'checksums.json'), 'utf8')),
    downloadOptions: { quiet: true, timeout: { connect: 15_000, response: 30_000 }, getProgressCallback: (p) => onProgress(p.percent) },
  });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  await extract(zip, { dir: join(dir, 'dist') });
  const typeDefs = join(dir, 'dist', 'electron.d.ts');
  if (existsSync(typeDefs)) renameSync(typeDefs, join(dir, 'electron.d.ts'));
  writeFileSync(join(dir, 'path.txt'), platformPath());
  const exe = electronBinaryPath(root);
  if (!exe) throw new Error('the download finished but no Electron executable was found');
  return exe;
}

/** Installs the pinned electron package without its download script (npm dropped it, e.g. on an older npm offline). */
function installElectronPackage(root) {
  const range = pinnedElectronRange(root);
  console.log(`Installing the electron package (${range})…`);
  const npm = spawnSync('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `electron@${range}`], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  return npm.status === 0 && installedElectronVersion(root) !== null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = dirname(dirname(fileURLToPath(import.meta.url)));
  if (!installedElectronVersion(root) && !installElectronPackage(root)) {
    console.error('Could not install the electron package; `npm start` keeps serving the studio to your browser.');
    process.exit(1);
  }
  try {
    console.log(`Electron binary ready: ${await fetchElectronBinary(root)}`);
  } catch (err) {
    console.error(`Could not download Electron's binary: ${describeFetchError(err)}. \`npm start\` keeps serving the studio to your browser.`);
    process.exit(1);
  }
}
