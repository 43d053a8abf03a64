import { describe, expect, it } from 'vitest';
import { parseDuration, parseSize, toPm2Size } from '../../../src/stack/units.js';

const MiB = 1024 ** 2;

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['15s', 15_000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 60s ', 60_000],
  ])('reads %j as %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['15', '15 s', '15sec', '1d', '-1s', 's', ''])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('parseSize', () => {
  it.each([
    ['512M', 512 * MiB],
    ['512m', 512 * MiB],
    ['1.5G', 1.5 * 1024 * MiB],
    ['100K', 100 * 1024],
    ['2048', 2048],
    ['64B', 64],
    // Operators write "300MB" meaning 300 MiB; pm2 itself would reject it and
    // start nothing, so botstack reads it and emits "300M".
    ['300MB', 300 * MiB],
    ['300 MB', 300 * MiB],
    ['1gb', 1024 * MiB],
  ])('reads %j as %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it.each(['300XB', 'M', '1.5 GiB', '-1M', '1T', ''])('refuses %j', (text) => expect(parseSize(text)).toBeUndefined());
});

describe('toPm2Size (pm2 accepts only ^\\d+(G|M|K)?$)', () => {
  it.each([
    [512 * MiB, '512M'],
    [300 * MiB, '300M'],
    [1.5 * 1024 * MiB, '1536M'],
    [100 * 1024, '100K'],
    [1500, '1K'],
    [100, '1K'],
  ])('writes %d bytes as %j', (bytes, text) => {
    expect(toPm2Size(bytes)).toBe(text);
    expect(text).toMatch(/^\d+(G|M|K)?$/);
  });
});
