#!/usr/bin/env node
/* global process, setTimeout, clearTimeout */
/**
 * STAND-IN for the `modal` CLI (Modal's cloud cannot exist in tests): emulates the CLI boundary the studio uses, on
 * this machine. Volumes are folders under $MODAL_STAND_IN_ROOT/volumes; `run --detach <app.py>` reads the studio's
 * embedded JOB spec from the app file and starts its command detached (own process group) against the volume folder,
 * like the generated run_job function would in a container (job.log, exit file, the function timeout); `app stop`
 * kills that group; `app list --json` prints Modal's columns. Auth: MODAL_TOKEN_ID + MODAL_TOKEN_SECRET in the
 * environment, or a file at $MODAL_CONFIG_PATH (default ~/.modal.toml). Each call's argv is appended to calls.log.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.MODAL_STAND_IN_ROOT;
const argv = process.argv.slice(2);
const die = (msg, code = 1) => {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
};
if (!root) die('modal stand-in: MODAL_STAND_IN_ROOT is not set');
mkdirSync(join(root, 'volumes'), { recursive: true });
mkdirSync(join(root, 'apps'), { recursive: true });
const flags = new Set(argv.filter((a) => a.startsWith('-') && a !== '-'));
const pos = argv.filter((a) => !a.startsWith('-') || a === '-');

const volumeDir = (name) => {
  const dir = join(root, 'volumes', name);
  if (!existsSync(dir)) die(`Error: Volume '${name}' not found in environment 'main'`);
  return dir;
};
/** A volume path (leading / optional) inside the volume folder; no escaping it. */
const inVolume = (vol, p = '/') => {
  const base = volumeDir(vol);
  const full = resolve(base, `.${p.startsWith('/') ? p : `/${p}`}`);
  if (full !== base && !full.startsWith(`${base}/`)) die(`Error: invalid path ${p}`);
  return full;
};
const appFile = (id) => join(root, 'apps', `${id}.json`);
const readApp = (id) => (existsSync(appFile(id)) ? JSON.parse(readFileSync(appFile(id), 'utf8')) : null);
const writeApp = (app) => {
  writeFileSync(`${appFile(app.appId)}.tmp`, JSON.stringify(app));
  renameSync(`${appFile(app.appId)}.tmp`, appFile(app.appId));
};
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The container's environment: no Modal credentials reach the job (as on Modal). */
const containerEnv = () => {
  const env = { ...process.env, PYTHONUNBUFFERED: '1' };
  delete env.MODAL_TOKEN_ID;
  delete env.MODAL_TOKEN_SECRET;
  return env;
};

if (argv[0] !== '__container') {
  appendFileSync(join(root, 'calls.log'), `${JSON.stringify(argv)}\n`);
  const configPath = process.env.MODAL_CONFIG_PATH ?? join(homedir(), '.modal.toml');
  const authed = (process.env.MODAL_TOKEN_ID && process.env.MODAL_TOKEN_SECRET) || existsSync(configPath);
  if (!authed && argv[0] !== '--version') {
    die('Token missing. Could not authenticate client. If you have token credentials, see modal.com/docs/reference/modal.config for setup help. If you are a new user, register an account at modal.com, then run `modal token new`.');
  }
}

const [group, cmd] = pos;
const key = `${group} ${cmd ?? ''}`.trim();
if (group === '--version' || flags.has('--version')) {
  process.stdout.write('modal client version: 1.0.0 (stand-in)\n');
} else if (key === 'volume create') {
  const dir = join(root, 'volumes', pos[2]);
  if (existsSync(dir)) die(`Error: Volume '${pos[2]}' already exists`);
  mkdirSync(dir);
  process.stdout.write(`Created Volume '${pos[2]}' in environment 'main'.\n`);
} else if (key === 'volume put') {
  const [, , vol, local, remote = '/'] = pos;
  const dest = inVolume(vol, remote);
  if (!existsSync(local)) die(`Error: local path ${local} does not exist`);
  const force = flags.has('--force') || flags.has('-f');
  // A slow network, for tests that cancel mid-upload: MODAL_STAND_IN_PUT_MS of waiting before the copy.
  const slow = Number(process.env.MODAL_STAND_IN_PUT_MS ?? 0);
  if (slow > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, slow);
  try {
    cpSync(local, dest, { recursive: true, force, errorOnExist: !force });
  } catch (err) {
    die(`Error: ${err.code === 'ERR_FS_CP_EEXIST' ? `${remote} already exists; use --force to overwrite` : err.message}`);
  }
  process.stdout.write(`Uploaded ${local} to ${remote}\n`);
} else if (key === 'volume get') {
  const [, , vol, remote, local = '.'] = pos;
  const src = inVolume(vol, remote);
  if (!existsSync(src)) die(`Error: File not found: ${remote}`);
  if (local === '-') {
    if (statSync(src).isDirectory()) die(`Error: ${remote} is a directory; cannot write it to stdout`);
    process.stdout.write(readFileSync(src));
  } else cpSync(src, local, { recursive: true, force: flags.has('--force') });
} else if (key === 'volume ls') {
  const [, , vol, remote = '/'] = pos;
  const dir = inVolume(vol, remote);
  if (!existsSync(dir)) die(`Error: No such file or directory: ${remote}`);
  const rows = readdirSync(dir, { withFileTypes: true }).map((e) => {
    const st = statSync(join(dir, e.name));
    return { Filename: join(remote, e.name).replace(/^\//, ''), Type: e.isDirectory() ? 'dir' : 'file', 'Created/Modified': st.mtime.toISOString(), Size: `${st.size} B` };
  });
  process.stdout.write(flags.has('--json') ? `${JSON.stringify(rows)}\n` : rows.map((r) => `${r.Filename}\n`).join(''));
} else if (key === 'volume rm') {
  const [, , vol, remote] = pos;
  const target = inVolume(vol, remote);
  if (!existsSync(target)) die(`Error: No such file or directory: ${remote}`);
  if (statSync(target).isDirectory() && !flags.has('-r') && !flags.has('--recursive')) die(`Error: ${remote} is a directory; use -r`);
  rmSync(target, { recursive: true, force: true });
} else if (group === 'run') {
  if (!flags.has('--detach')) die('modal stand-in: only `modal run --detach <app file>` is emulated');
  const source = readFileSync(pos[1], 'utf8');
  // The same marker line src/main/modal/modal-app-file.ts writes (JOB_SPEC_LINE there).
  const m = /^JOB = json\.loads\((".*")\)$/m.exec(source);
  if (!m) die(`Error: ${pos[1]} is not a studio app file (the stand-in runs only those)`);
  const spec = JSON.parse(JSON.parse(m[1]));
  if (!source.includes('modal.Volume.from_name(')) die('Error: the app file mounts no volume');
  const volDir = join(root, 'volumes', spec.volume);
  mkdirSync(volDir, { recursive: true }); // create_if_missing=True
  const appId = `ap-${randomBytes(11).toString('hex')}`;
  writeApp({ appId, name: spec.appName, volume: spec.volume, jobDir: spec.jobDir, state: 'ephemeral (detached)', created: new Date().toISOString(), stopped: null, pid: null });
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [self, '__container', appId, pos[1]], { detached: true, stdio: 'ignore', env: containerEnv() });
  writeApp({ ...readApp(appId), pid: child.pid });
  child.unref();
  process.stdout.write(`✓ Initialized. View run at https://modal.com/apps/stand-in/main/${appId}\n✓ Created objects.\n├── 🔨 Created mount ${pos[1]}\n└── 🔨 Created function run_job.\nstudio-function-call fc-stand-in\n✓ App completed.\n`);
} else if (group === '__container') {
  // What run_job does in the container: run the command in the job folder, log, write exit, honour the timeout.
  const [, appId, file] = pos;
  const spec = JSON.parse(JSON.parse(/^JOB = json\.loads\((".*")\)$/m.exec(readFileSync(file, 'utf8'))[1]));
  const jobDir = join(root, 'volumes', spec.volume, spec.jobDir);
  mkdirSync(join(jobDir, 'out'), { recursive: true });
  const fill = (v) => v.replaceAll('{job_dir}', jobDir);
  const env = containerEnv();
  for (const [k, v] of Object.entries(spec.command.env ?? {})) env[k] = fill(v);
  const log = openSync(join(jobDir, 'job.log'), 'a');
  const [exe, ...args] = spec.command.argv.map(fill);
  const work = spawn(exe, args, { cwd: resolve(jobDir, fill(spec.command.cwd ?? '.')) /* os.path.join: an absolute cwd stands alone */, env, stdio: ['ignore', log, log] });
  const finish = (patch) => writeApp({ ...readApp(appId), stopped: new Date().toISOString(), ...patch });
  const timer = setTimeout(() => {
    finish({ state: 'stopped' });
    process.kill(0, 'SIGKILL'); // the function timed out: the container goes, no exit file
  }, spec.timeoutSeconds * 1000);
  work.on('error', (err) => {
    appendFileSync(join(jobDir, 'job.log'), `${err.message}\n`);
  });
  work.on('close', (code) => {
    clearTimeout(timer);
    writeFileSync(join(jobDir, 'exit.tmp'), `${code ?? 137}\n`);
    renameSync(join(jobDir, 'exit.tmp'), join(jobDir, 'exit'));
    finish({ state: 'stopped' });
    process.kill(0, 'SIGKILL'); // the container ends: whatever the work left behind in it goes too
  });
} else if (key === 'app stop') {
  const app = readApp(pos[2]);
  if (!app) die(`Error: Could not find app with id ${pos[2]}`);
  if (app.pid && alive(app.pid)) {
    try {
      process.kill(-app.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  writeApp({ ...app, state: 'stopped', stopped: app.stopped ?? new Date().toISOString() });
} else if (key === 'app list') {
  const rows = readdirSync(join(root, 'apps'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(root, 'apps', f), 'utf8')))
    .map((a) => {
      const state = a.state !== 'stopped' && !(a.pid && alive(a.pid)) ? 'stopped' : a.state;
      return { 'App ID': a.appId, Description: a.name, State: state, Tasks: state === 'stopped' ? '0' : '1', 'Created at': a.created, 'Stopped at': a.stopped };
    });
  process.stdout.write(flags.has('--json') ? `${JSON.stringify(rows, null, 2)}\n` : rows.map((r) => `${r['App ID']} ${r.State}\n`).join(''));
} else if (key === 'app logs') {
  const app = readApp(pos[2]);
  if (!app) die(`Error: Could not find app with id ${pos[2]}`);
  const log = join(root, 'volumes', app.volume, app.jobDir, 'job.log');
  if (existsSync(log)) process.stdout.write(readFileSync(log));
} else {
  die(`modal stand-in: ${argv.join(' ')} is not emulated`, 2);
}
