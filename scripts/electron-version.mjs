/** The Electron version the studio pins, read from package.json, so build and start need no installed `electron` package. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The pinned range of the optional `electron` dependency, e.g. "~40.8.5". */
export function pinnedElectronRange(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const range = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron;
  if (typeof range !== 'string') throw new Error('package.json pins no electron version');
  return range;
}

/** Major version of the pinned Electron ("40"). */
export function pinnedElectronMajor(root) {
  const match = /(\d+)\./.exec(pinnedElectronRange(root));
  if (!match) throw new Error(`Cannot read a major version from electron "${pinnedElectronRange(root)}"`);
  return match[1];
}

/** Version of the installed `electron` package, or null when npm left it out. */
export function installedElectronVersion(root) {
  const file = join(root, 'node_modules', 'electron', 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : null;
}
