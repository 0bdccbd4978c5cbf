/** SSH host configs in the workspace database (no secrets: a key passphrase is asked for per job). */
import { sshHostInputSchema, type SshHost, type SshHostInput } from '../../shared/ssh-types';
import type { Db } from '../db/open-database';
import { conflict, notFound } from '../errors';

const COLUMNS = `id, name, host, port, username, key_path AS keyPath, work_dir AS workDir, python, created_at AS createdAt`;

export function listHosts(db: Db): SshHost[] {
  return db.prepare(`SELECT ${COLUMNS} FROM ssh_hosts ORDER BY name`).all() as SshHost[];
}

export function getHost(db: Db, id: number): SshHost {
  const row = db.prepare(`SELECT ${COLUMNS} FROM ssh_hosts WHERE id = ?`).get(id) as SshHost | undefined;
  if (!row) throw notFound(`SSH host ${id}`);
  return row;
}

export function addHost(db: Db, input: SshHostInput): SshHost {
  const h = sshHostInputSchema.parse(input);
  if (db.prepare('SELECT 1 FROM ssh_hosts WHERE name = ?').get(h.name)) throw conflict(`an SSH host named "${h.name}" exists already`);
  const { lastInsertRowid } = db
    .prepare('INSERT INTO ssh_hosts (name, host, port, username, key_path, work_dir, python) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(h.name, h.host, h.port, h.username, h.keyPath, h.workDir, h.python);
  return getHost(db, Number(lastInsertRowid));
}

export function removeHost(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM ssh_hosts WHERE id = ?').run(id).changes > 0;
}
