/**
 * better-sqlite3 is a V8 addon: the copy npm builds for Node cannot load inside Electron (different
 * ABI), and rebuilding it in place would break the Node side (CLI, browser host, tests). So Electron
 * gets its own copy under .electron-native/, fetched prebuilt (prebuild-install) or compiled
 * (node-gyp against Electron's headers); main opens SQLite with it via STUDIO_SQLITE_BINDING.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Returns the path of an Electron-ABI better_sqlite3.node, building it once per Electron/module version. */
export function ensureElectronSqlite(root, electronVersion) {
  const require = createRequire(join(root, 'package.json'));
  const moduleDir = dirname(require.resolve('better-sqlite3/package.json'));
  const moduleVersion = JSON.parse(readFileSync(join(moduleDir, 'package.json'), 'utf8')).version;
  const target = join(root, '.electron-native', 'better-sqlite3');
  const binding = join(target, 'build', 'Release', 'better_sqlite3.node');
  const stamp = join(target, '.studio-stamp');
  const wanted = `${moduleVersion} electron ${electronVersion} ${process.arch}`;
  if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return binding;

  console.log(`Preparing SQLite for Electron ${electronVersion} (one time)…`);
  rmSync(target, { recursive: true, force: true });
  cpSync(moduleDir, target, { recursive: true, filter: (src) => !src.includes(`${join('build', 'Release', 'obj')}`) });
  rmSync(join(target, 'build'), { recursive: true, force: true });
  const common = { cwd: target, stdio: 'inherit', shell: process.platform === 'win32' };
  const prebuild = spawnSync(
    process.execPath,
    [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch],
    common,
  );
  if (prebuild.status !== 0 || !existsSync(binding)) {
    const gyp = spawnSync(
      'npx',
      ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
      common,
    );
    if (gyp.status !== 0 || !existsSync(binding)) {
      throw new Error('Could not prepare better-sqlite3 for Electron (no prebuilt binary and the build failed); `npm run host` serves the studio to a browser instead.');
    }
  }
  writeFileSync(stamp, wanted);
  return binding;
}
