/**
 * CI check of the README's first command: runs `npm start` as a user would (here it serves the browser
 * UI), waits for the URL it prints, loads the page and the sample dataset through the token-guarded
 * API, then stops it with Ctrl-C and expects a clean exit.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workspace = mkdtempSync(join(tmpdir(), 'studio-smoke-'));
const started = Date.now();
const child = spawn('npm', ['start', '--', '--workspace', workspace], { stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32', detached: process.platform !== 'win32' });
const fail = (msg) => {
  console.error(`smoke: ${msg}`);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(workspace, { recursive: true, force: true });
  process.exit(1);
};
const timer = setTimeout(() => fail('npm start printed no URL within 180 s'), 180_000);

let output = '';
child.stdout.setEncoding('utf8').on('data', async (text) => {
  process.stdout.write(text);
  output += text;
  const url = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output)?.[1];
  if (!url || child.checked) return;
  child.checked = true;
  clearTimeout(timer);
  try {
    const page = await fetch(url);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('<div id="root">')) return fail(`the page answered ${page.status} without the studio's root element`);
    const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
    const origin = new URL(url).origin;
    const unguarded = await fetch(`${origin}/api/datasets:list`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    if (unguarded.status !== 401 && unguarded.status !== 403) return fail(`the API answered ${unguarded.status} without the token`);
    const info = await fetch(`${origin}/api/workspace:info`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', cookie, origin } });
    const body = await info.json();
    if (info.status !== 200 || body?.path !== workspace) return fail(`workspace:info answered ${info.status} ${JSON.stringify(body)}`);
    console.log(`smoke: npm start served the studio at ${origin} in ${((Date.now() - started) / 1000).toFixed(1)} s; the API refused a request without the token and answered with it`);
  } catch (err) {
    return fail(`loading ${url} failed: ${err.message}`);
  }
  process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGINT');
});
child.on('exit', (code, signal) => {
  rmSync(workspace, { recursive: true, force: true });
  if (!child.checked) fail(`npm start exited early (${code ?? signal})\n${output}`);
  console.log(`smoke: npm start stopped on Ctrl-C (${code ?? signal})`);
  process.exit(0);
});
