/** Image layer on real files: hashing, probing + thumbnails with sharp, the content-addressed store, and verifyStore. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { hashBuffer, hashFile } from '../../src/main/images/file-hash';
import { classifyError, probeImage, THUMB_SIZE } from '../../src/main/images/image-probe';
import { putImage, putThumb } from '../../src/main/images/image-store';
import { verifyStore } from '../../src/main/images/store-verify';
import { runImport } from '../../src/main/imports/import-runner';
import { imagePath, thumbPath } from '../../src/main/workspace/workspace';
import { writeTruncatedJpeg } from '../fixtures/bad-files';
import { ASSETS, copyPets, onePetPhoto } from '../fixtures/real-photos';
import { cleanupTempDirs, makeTempDir, tempWorkspace } from '../fixtures/temp-dirs';

const workspace = tempWorkspace;
afterEach(cleanupTempDirs);

describe('hashing and probing', () => {
  it('hashes a file by streaming and a buffer directly, both equal to sha256 of the bytes', async () => {
    const photo = onePetPhoto();
    const expected = createHash('sha256').update(readFileSync(photo)).digest('hex');
    expect(await hashFile(photo)).toBe(expected);
    expect(hashBuffer(readFileSync(photo))).toBe(expected);
  });

  it('probes a real JPEG and a PNG: format, size and a WebP thumbnail that fits the box', async () => {
    const jpeg = await probeImage(readFileSync(onePetPhoto()));
    if (!jpeg.ok) throw new Error(jpeg.detail);
    const meta = await sharp(readFileSync(onePetPhoto())).metadata();
    expect([jpeg.format, jpeg.ext, jpeg.width, jpeg.height]).toEqual(['jpeg', 'jpg', meta.width, meta.height]);
    const thumb = await sharp(jpeg.thumb).metadata();
    expect(thumb.format).toBe('webp');
    expect(Math.max(thumb.width ?? 0, thumb.height ?? 0)).toBe(THUMB_SIZE);
    const png = await probeImage(readFileSync(join(ASSETS, 'datasets/skimage-samples/coffee.png')));
    expect(png.ok && [png.format, png.ext]).toEqual(['png', 'png']);
  });

  it('maps a truncated file to "truncated" (the full decode catches it)', async () => {
    const dir = makeTempDir();
    writeTruncatedJpeg(onePetPhoto(), join(dir, 't.jpg'));
    const result = await probeImage(readFileSync(join(dir, 't.jpg')));
    expect(result.ok ? 'ok' : result.reason).toBe('truncated');
  });
});

describe('content-addressed store', () => {
  it('stores an original once under its hash and writes the thumbnail atomically', async () => {
    const ws = workspace();
    const photo = onePetPhoto();
    const hash = await hashFile(photo);
    const target = await putImage(ws, photo, hash, 'jpg');
    expect(target).toBe(imagePath(ws, hash, 'jpg'));
    expect(readFileSync(target).equals(readFileSync(photo))).toBe(true);
    expect(await putImage(ws, photo, hash, 'jpg')).toBe(target);
    await putThumb(ws, hash, Buffer.from('webp bytes'));
    expect(readFileSync(thumbPath(ws, hash), 'utf8')).toBe('webp bytes');
    expect(statSync(target).size).toBe(statSync(photo).size);
  });

  it('verifyStore reports an original that vanished from the store instead of crashing', async () => {
    const src = makeTempDir('vcs-src-');
    const cats = copyPets('cats', 3, join(src, 'cat'));
    const ws = workspace();
    const report = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'v' });
    const clean = await verifyStore(ws, report.datasetId);
    expect([clean.checked, clean.missingOriginals.length, clean.missingThumbs.length]).toEqual([3, 0, 0]);
    const hash = await hashFile(cats[1]);
    rmSync(imagePath(ws, hash, 'jpg'));
    rmSync(thumbPath(ws, hash));
    const broken = await verifyStore(ws, report.datasetId);
    expect(broken.missingOriginals.map((m) => [m.hash, m.originalPath])).toEqual([[hash, cats[1]]]);
    expect(broken.missingThumbs).toEqual([hash]);
  });

  it('a re-import restores a store file that vanished', async () => {
    const src = makeTempDir('vcs-src-');
    const [cat] = copyPets('cats', 1, join(src, 'cat'));
    const ws = workspace();
    const first = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'r' });
    const hash = await hashFile(cat);
    rmSync(imagePath(ws, hash, 'jpg'));
    const second = await runImport(ws, { source: src, format: 'imagefolder', datasetName: 'r' });
    expect(second.alreadyPresent).toBe(1);
    expect(existsSync(imagePath(ws, hash, 'jpg'))).toBe(true);
    expect((await verifyStore(ws, first.datasetId)).missingOriginals).toEqual([]);
  });
});

describe('libvips error messages', () => {
  it('maps both messages a truncated file can produce to the same reason', () => {
    expect(classifyError(new Error('VipsJpeg: Premature end of input file')).reason).toBe('truncated');
    const promoted = classifyError(new Error('Warning treated as error due to failOn setting'));
    expect(promoted.reason).toBe('truncated');
    expect(promoted.detail).toMatch(/premature end/);
    expect(classifyError(new Error('Input buffer contains unsupported image format')).reason).toBe('not-an-image');
    expect(classifyError(new Error('Input image exceeds pixel limit')).reason).toBe('too-many-pixels');
  });
});
