/** Small promise wrappers over one ssh2 connection: run a command, and SFTP reads/writes by byte offset. */
import type { Client, SFTPWrapper } from 'ssh2';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Single-quotes a value for the remote POSIX shell. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function exec(client: Client, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      stream.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      stream.on('close', (code: number | null) => resolve({ code, stdout, stderr }));
    });
  });
}

/** Runs a command that must succeed; its stderr's first line is the error. */
export async function run(client: Client, command: string, what: string): Promise<string> {
  const r = await exec(client, command);
  if (r.code !== 0) throw new Error(`${what} failed on the host: ${(r.stderr.trim() || r.stdout.trim() || `exit code ${r.code}`).split('\n')[0]}`);
  return r.stdout;
}

export function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))));
}

/** Size of a remote file, or null when it does not exist. */
export function remoteSize(sftp: SFTPWrapper, path: string): Promise<number | null> {
  return new Promise((resolve, reject) =>
    sftp.stat(path, (err, st) => {
      if (!err) return resolve(st.size);
      if ((err as Error & { code?: number }).code === 2) return resolve(null);
      reject(err);
    }),
  );
}

/** Bytes [offset, offset + max) of a remote file (fewer at its end; empty when it does not exist yet). */
export async function readFrom(sftp: SFTPWrapper, path: string, offset: number, max: number): Promise<Buffer> {
  const size = await remoteSize(sftp, path);
  if (size === null || size <= offset) return Buffer.alloc(0);
  const want = Math.min(size - offset, max);
  return new Promise((resolve, reject) => {
    sftp.open(path, 'r', (err, handle) => {
      if (err) return reject(err);
      const buf = Buffer.alloc(want);
      let got = 0;
      const next = (): void => {
        if (got >= want) return sftp.close(handle, () => resolve(buf.subarray(0, got)));
        sftp.read(handle, buf, got, Math.min(want - got, 32 * 1024), offset + got, (e, n) => {
          if (e) return sftp.close(handle, () => reject(e));
          if (n === 0) return sftp.close(handle, () => resolve(buf.subarray(0, got)));
          got += n;
          next();
        });
      };
      next();
    });
  });
}
