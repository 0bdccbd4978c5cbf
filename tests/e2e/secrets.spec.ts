/**
 * The Secrets panel as a user sees it at 1280×720 on this machine (no keychain: no D-Bus session): the backend state in
 * plain words, set / replace / remove per name with password inputs, a value set by the environment shown as such,
 * and no value ever echoed back into the page — nor written under the workspace.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeSecretStore } from '../../src/main/secrets/open-node-secret-store';
import type { SshHost } from '../../src/shared/ssh-types';
import { scanForSecret } from '../support/secret-scan';
import { launchStudio, REPO_ROOT, type LaunchedStudio } from './support/launch-studio';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

describe('Secrets panel (browser host)', () => {
  let tmp: string;
  let studio: LaunchedStudio;
  let host: SshHost;
  const envToken = `modal-id-${randomBytes(6).toString('hex')}`;
  const first = `hf_first_${randomBytes(12).toString('hex')}`;
  const second = `hf_second_${randomBytes(12).toString('hex')}`;
  const passphrase = `pp_${randomBytes(12).toString('hex')}`;
  const shot = (name: string) => studio.page.screenshot({ path: join(ARTIFACTS, `secrets-${name}.png`) });
  const row = (name: string) => studio.page.locator(`[data-testid="secret-row"][data-name="${name}"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    process.env.STUDIO_SECRET_MODAL_TOKEN_ID = envToken;
    tmp = mkdtempSync(join(tmpdir(), 'vcs-secrets-e2e-'));
    studio = await launchStudio({ workspaceDir: join(tmp, 'ws'), secrets: await openNodeSecretStore(`vcs-e2e-${process.pid}`), viewport: { width: 1280, height: 720 } });
    host = await studio.core.handlers['hosts:add']({ name: 'gpu-box', host: '127.0.0.1', port: 22, username: 'me', keyPath: join(tmp, 'id_ed25519'), workDir: '/tmp/studio', python: 'python3' });
  });

  afterAll(async () => {
    delete process.env.STUDIO_SECRET_MODAL_TOKEN_ID;
    await studio?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('shows the backend state in plain words and every name, with the environment-provided one marked', async () => {
    const { page } = studio;
    await page.getByTestId('section-models').click();
    const panel = page.getByTestId('secrets-panel');
    await panel.getByTestId('secrets-backend').waitFor();
    const backend = panel.getByTestId('secrets-backend');
    if (process.env.DBUS_SESSION_BUS_ADDRESS) {
      expect(await backend.getAttribute('data-keychain')).toMatch(/true|false/);
    } else {
      expect(await backend.getAttribute('data-keychain')).toBe('false');
      expect(await backend.textContent()).toMatch(/^No keychain on this machine: no D-Bus session bus \(DBUS_SESSION_BUS_ADDRESS is not set\), so no Secret Service keychain such as GNOME Keyring or KWallet can be reached\. Values set here are kept in memory until the studio closes/);
    }
    await expect.poll(() => panel.getByTestId('secret-row').count()).toBe(4);
    expect(await panel.getByTestId('secret-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).toEqual(['hf-token', 'modal-token-id', 'modal-token-secret', `ssh-passphrase:${host.id}`]);
    expect(await row('hf-token').getByTestId('secret-state').textContent()).toBe('not set');
    expect(await row('modal-token-id').getByTestId('secret-state').textContent()).toBe('set by the environment STUDIO_SECRET_MODAL_TOKEN_ID');
    expect(await row('modal-token-id').getByTestId('secret-remove').count()).toBe(0);
    expect(await row(`ssh-passphrase:${host.id}`).locator('.secret-label').textContent()).toBe('SSH key passphrase: gpu-box');
    await panel.scrollIntoViewIfNeeded();
    await shot('01-panel');
  });

  it('sets, replaces and removes a token through password inputs; the value never comes back into the page', async () => {
    const { page, core } = studio;
    const hf = row('hf-token');
    await hf.getByTestId('secret-edit').click();
    const input = hf.getByTestId('secret-input');
    expect(await input.getAttribute('type')).toBe('password');
    await input.fill(first);
    await shot('02-typing');
    await hf.getByTestId('secret-save').click();
    await expect.poll(() => hf.getByTestId('secret-state').textContent()).toBe('set, in memory until the studio closes');
    expect(core.secrets.get('hf-token')).toBe(first);
    expect(await hf.getByTestId('secret-input').count()).toBe(0);

    await hf.getByTestId('secret-edit').click();
    expect(await hf.getByTestId('secret-input').inputValue()).toBe(''); // replacing starts empty: nothing echoed back
    await hf.getByTestId('secret-input').fill(second);
    await hf.getByTestId('secret-input').press('Enter');
    await expect.poll(() => core.secrets.get('hf-token')).toBe(second);

    const ssh = row(`ssh-passphrase:${host.id}`);
    await ssh.getByTestId('secret-edit').click();
    await ssh.getByTestId('secret-input').fill(passphrase);
    await ssh.getByTestId('secret-save').click();
    await expect.poll(() => ssh.getAttribute('data-set')).toBe('true');
    expect(core.secrets.sshPassphrase()(host.id)).toBe(passphrase);
    await page.getByTestId('secrets-panel').scrollIntoViewIfNeeded();
    await shot('03-set');

    const html = await page.content();
    for (const secret of [first, second, passphrase, envToken]) expect(html).not.toContain(secret);

    await hf.getByTestId('secret-remove').click();
    await expect.poll(() => hf.getByTestId('secret-state').textContent()).toBe('not set');
    expect(core.secrets.get('hf-token')).toBeUndefined();
    expect(studio.pageErrors).toEqual([]);
    core.workspace.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const secret of [first, second, passphrase, envToken]) expect(scanForSecret([tmp], secret)).toEqual([]);
  });
});
