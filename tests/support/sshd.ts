/**
 * A real OpenSSH server for tests: Debian's /usr/sbin/sshd on 127.0.0.1 and a free port, throwaway host and client
 * keys from ssh-keygen, logging in as a separate user with its own home, so nothing passes only because the remote
 * side shares the studio's files. Without root (and CI unset) the caller skips with the reason; under CI=true a
 * missing sshd or a failed user creation is an error.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { exec as sshExec } from '../../src/main/ssh/ssh-remote';
import { trustHostKey } from '../../src/main/ssh/known-hosts';

export const SSHD = '/usr/sbin/sshd';
export const SSH_TEST_USER = 'vcs-ssh-test';

export interface Sshd {
  port: number;
  user: string;
  home: string;
  clientKey: string;
  hostKeyBlob: Buffer;
  /** A known_hosts file that trusts this server's key. */
  knownHosts: string;
  /** Cuts every open SSH connection (SIGKILL to the sshd session processes this server forked), as a network drop would. */
  dropConnections(): number;
  /** Lets one more public key (OpenSSH line) log in as the test user. */
  authorize(publicKeyLine: string): void;
  /** Runs a shell command on the server as the test user (over SSH). */
  sh(command: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** Why the sshd tests cannot run here (null: they can); under CI=true this throws instead. */
export function sshdUnavailable(): string | null {
  const reason = !existsSync(SSHD)
    ? `${SSHD} is not installed (apt-get install openssh-server)`
    : process.getuid?.() !== 0
      ? 'not root: cannot create the separate SSH test user or mount a tmpfs'
      : null;
  if (reason && process.env.CI === 'true') throw new Error(`SSH tests cannot run under CI: ${reason}`);
  return reason;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Creates the test user once (a '*' password: not locked, so sshd without PAM lets key logins in). */
function ensureUser(): string {
  try {
    execFileSync('id', ['-u', SSH_TEST_USER], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync('useradd', ['-m', '-s', '/bin/sh', SSH_TEST_USER], { stdio: 'pipe' });
    } catch (err) {
      // A parallel test file may have created it meanwhile.
      try {
        execFileSync('id', ['-u', SSH_TEST_USER], { stdio: 'ignore' });
      } catch {
        throw new Error(`could not create the SSH test user: ${String((err as { stderr?: Buffer }).stderr ?? err)}`);
      }
    }
  }
  execFileSync('usermod', ['-p', '*', SSH_TEST_USER]);
  const home = execFileSync('sh', ['-c', `getent passwd ${SSH_TEST_USER} | cut -d: -f6`], { encoding: 'utf8' }).trim();
  if (!existsSync(home)) throw new Error(`the SSH test user's home ${home} is missing`);
  return home;
}

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vcs-test', '-f', file], { stdio: 'pipe' });
}

export async function startSshd(): Promise<Sshd> {
  const home = ensureUser();
  const dir = mkdtempSync(join(tmpdir(), 'vcs-sshd-'));
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the test user
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o644 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // the privilege-separation directory sshd insists on
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `AllowUsers ${SSH_TEST_USER}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
  ];
  writeFileSync(join(dir, 'sshd_config'), `${config.join('\n')}\n`);
  const proc: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  // A test run that ends without its afterAll (timeout, Ctrl-C) does not leave the listener behind.
  const onExit = (): void => void proc.kill('SIGKILL');
  process.once('exit', onExit);
  const t0 = Date.now();
  while (!log.includes('Server listening')) {
    if (proc.exitCode !== null || Date.now() - t0 > 10_000) throw new Error(`sshd did not start: ${log.trim().slice(-500)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const hostKeyBlob = Buffer.from(readFileSync(join(dir, 'host_key.pub'), 'utf8').split(' ')[1] as string, 'base64');
  const knownHosts = join(dir, 'known_hosts');
  trustHostKey(knownHosts, '127.0.0.1', port, hostKeyBlob);
  const clientKey = join(dir, 'client_key');
  const sh = (command: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const c = new Client();
      c.on('error', reject);
      c.on('ready', () => sshExec(c, command).then((r) => (c.end(), resolve(r)), (e: unknown) => (c.end(), reject(e))));
      c.connect({ host: '127.0.0.1', port, username: SSH_TEST_USER, privateKey: readFileSync(clientKey), hostVerifier: (k: Buffer) => k.equals(hostKeyBlob) });
    });
  return {
    port,
    user: SSH_TEST_USER,
    home,
    clientKey,
    hostKeyBlob,
    knownHosts,
    sh,
    dropConnections: () => {
      const kids = spawnSync('ps', ['-o', 'pid=', '--ppid', String(proc.pid)], { encoding: 'utf8' }).stdout.split('\n').map(Number).filter((n) => n > 0);
      for (const pid of kids) process.kill(pid, 'SIGKILL');
      return kids.length;
    },
    authorize: (line) => appendFileSync(join(dir, 'authorized_keys'), `${line.trim()}\n`),
    stop: async () => {
      process.off('exit', onExit);
      proc.kill('SIGTERM');
      if (proc.exitCode === null) await new Promise((r) => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh remote work dir in the test user's home, owned by that user (optionally a size-limited tmpfs). */
export function makeRemoteWorkDir(sshd: Sshd, name: string, tmpfsSize?: string): { dir: string; remove(): void } {
  const dir = join(sshd.home, name);
  mkdirSync(dir, { recursive: true });
  if (tmpfsSize) execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${tmpfsSize},mode=0755`, 'tmpfs', dir]);
  execFileSync('chown', [`${SSH_TEST_USER}:`, dir]);
  return {
    dir,
    remove: () => {
      if (tmpfsSize) execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
