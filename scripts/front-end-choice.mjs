/**
 * Decides what `npm start` opens: the Electron window when it can run here, else the browser UI
 * with the one-line reason. The first start without a binary tries to download it (with progress);
 * a failed try is remembered so later starts open at once, and is never fatal.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureElectronSqlite } from './electron-native.mjs';
import { describeFetchError, electronBinaryPath, fetchElectronBinary } from './electron-fetch.mjs';
import { installedElectronVersion } from './electron-version.mjs';

const FETCH_HINT = 'For the desktop window run `npm run electron:fetch` where the internet is reachable, then `npm start`.';

/** Where a failed automatic download is remembered (so offline starts do not retry every time). */
function failureMarker(root) {
  return join(root, '.electron-native', 'binary-fetch-failed.txt');
}

function rememberFailure(root, reason) {
  mkdirSync(join(root, '.electron-native'), { recursive: true });
  writeFileSync(failureMarker(root), `${new Date().toISOString()} ${reason}\n`);
}

/** True on Linux when no X11 or Wayland display is there to show a window. */
export function headlessLinux(env = process.env, platform = process.platform) {
  return platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

/** Returns { electron: path } to open the window, or { electron: null, reason, hint } to serve the browser UI. */
export async function chooseFrontEnd(root, env = process.env) {
  if (env.STUDIO_BROWSER === '1') return { electron: null, reason: 'STUDIO_BROWSER=1 is set', hint: '' };
  if (headlessLinux(env)) return { electron: null, reason: 'no display found (DISPLAY and WAYLAND_DISPLAY are unset)', hint: '' };
  const version = installedElectronVersion(root);
  if (!version) return { electron: null, reason: 'npm left out the optional electron package', hint: FETCH_HINT };
  let binary = electronBinaryPath(root);
  if (!binary) {
    if (existsSync(failureMarker(root))) {
      const last = readFileSync(failureMarker(root), 'utf8').trim().split(' ').slice(1).join(' ');
      return { electron: null, reason: `Electron's binary is not downloaded (the last try failed: ${last})`, hint: FETCH_HINT };
    }
    console.log(`Downloading Electron ${version} for the desktop window (first start only)…`);
    try {
      binary = await fetchElectronBinary(root);
    } catch (err) {
      const reason = describeFetchError(err);
      rememberFailure(root, reason);
      return { electron: null, reason: `Electron's binary could not be downloaded (${reason})`, hint: FETCH_HINT };
    }
  }
  rmSync(failureMarker(root), { force: true });
  try {
    env.STUDIO_SQLITE_BINDING = ensureElectronSqlite(root, version);
  } catch (err) {
    return { electron: null, reason: err instanceof Error ? err.message : String(err), hint: '' };
  }
  return { electron: binary };
}
