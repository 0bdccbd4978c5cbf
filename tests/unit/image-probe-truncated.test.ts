/**
 * A truncated photo is "truncated" however many decodes run at once: under concurrency libvips sometimes
 * reports only "Unknown error", and the probe then reads the file's own end marker (found flaky in the
 * full suite: one truncated JPEG came out "corrupt").
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lacksEndMarker, probeImage } from '../../src/main/images/image-probe';
import { asset } from '../support/assets';

const DOGS = asset('datasets', 'oxford-pets-370', 'dogs');
const photo = readFileSync(join(DOGS, readdirSync(DOGS).sort()[0]));

describe('truncated images under concurrent probes', () => {
  it('40 concurrent probes of a cut JPEG all say truncated', async () => {
    const cut = photo.subarray(0, Math.floor(photo.length * 0.6));
    const results = await Promise.all(Array.from({ length: 40 }, () => probeImage(Buffer.from(cut))));
    expect(new Set(results.map((r) => (r.ok ? 'ok' : r.reason)))).toEqual(new Set(['truncated']));
  });

  it('reads end markers: whole JPEG and PNG have them, cut ones do not', async () => {
    expect(lacksEndMarker(photo, 'jpeg')).toBe(false);
    expect(lacksEndMarker(photo.subarray(0, photo.length - 100), 'jpeg')).toBe(true);
    const { default: sharp } = await import('sharp');
    const png = await sharp(photo).resize(32).png().toBuffer();
    expect(lacksEndMarker(png, 'png')).toBe(false);
    expect(lacksEndMarker(png.subarray(0, png.length - 20), 'png')).toBe(true);
  });
});
