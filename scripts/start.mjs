/** `npm start`: builds when out/ is stale, then runs Electron — or, where it cannot run, says why in one line and serves the studio to a browser. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseFrontEnd } from './front-end-choice.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const passThrough = process.argv.slice(2);
const isWindows = process.platform === 'win32';

/** Newest modification time under a file or folder (0 when absent). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function buildIsStale() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
  if (outputs.some((p) => !existsSync(p))) return true;
  const oldestOutput = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const inputs = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => newestMtime(join(root, p)));
  return Math.max(...inputs) > oldestOutput;
}

/** tsx's CLI script, so the host runs as a direct child (npx does not reliably relay SIGINT/SIGTERM). */
function tsxCli() {
  try {
    return createRequire(join(root, 'package.json')).resolve('tsx/cli');
  } catch {
    return null;
  }
}

/** Runs a child with inherited stdio, forwards SIGINT/SIGTERM to it and exits with its status. */
function runForwardingSignals(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: isWindows });
  const forward = (signal) => {
    if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('error', (err) => {
    console.error(`Could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (buildIsStale()) {
  console.log('Building the studio (electron-vite build)…');
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit', shell: isWindows });
  if (build.status !== 0) {
    console.error('Build failed.');
    process.exit(build.status ?? 1);
  }
}

const choice = await chooseFrontEnd(root);
if (choice.electron) {
  runForwardingSignals(choice.electron, [root, ...passThrough]);
} else {
  console.log(`Serving the studio to your browser: ${choice.reason}.${choice.hint ? ` ${choice.hint}` : ''}`);
  const cli = tsxCli();
  const hostArgs = ['src/main/host/serve.ts', ...passThrough];
  if (cli) runForwardingSignals(process.execPath, [cli, ...hostArgs]);
  else runForwardingSignals('npx', ['tsx', ...hostArgs]);
}
