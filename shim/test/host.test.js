'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { createHost } = require('../host');

const host = createHost();

test('host file system access', async (t) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cua-host-')));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'a.json'), '0123456789');
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.symlinkSync('a.json', path.join(dir, 'link'));
  fs.symlinkSync('missing', path.join(dir, 'dangling'));
  fs.symlinkSync('loop2', path.join(dir, 'loop1'));
  fs.symlinkSync('loop1', path.join(dir, 'loop2'));
  fs.symlinkSync('sub', path.join(dir, 'dirlink'));

  await t.test('readDir lists names with their kinds (links not followed)', () => {
    const entries = host.readDir(dir).sort((a, b) => a[0].localeCompare(b[0]));
    assert.deepEqual(entries, [
      ['a.json', 'file'],
      ['dangling', 'link'],
      ['dirlink', 'link'],
      ['link', 'link'],
      ['loop1', 'link'],
      ['loop2', 'link'],
      ['sub', 'dir'],
    ]);
    for (const [, kind] of entries) assert.equal(typeof kind, 'string');
    assert.throws(() => host.readDir(path.join(dir, 'nope')), /ENOENT/);
    assert.throws(() => host.readDir(path.join(dir, 'a.json')), /ENOTDIR/);
  });

  await t.test('stat follows links; null when missing, dangling or looping', () => {
    assert.deepEqual(host.stat(path.join(dir, 'a.json')), { kind: 'file', size: 10 });
    assert.deepEqual(host.stat(path.join(dir, 'link')), { kind: 'file', size: 10 });
    assert.equal(host.stat(path.join(dir, 'dirlink')).kind, 'dir');
    assert.equal(host.stat(path.join(dir, 'nope')), null);
    assert.equal(host.stat(path.join(dir, 'dangling')), null);
    assert.equal(host.stat(path.join(dir, 'loop1')), null);
    assert.equal(host.stat('/dev/null').kind, 'other');
  });

  await t.test('lstatKind does not follow links', () => {
    assert.equal(host.lstatKind(path.join(dir, 'a.json')), 'file');
    assert.equal(host.lstatKind(path.join(dir, 'sub')), 'dir');
    assert.equal(host.lstatKind(path.join(dir, 'link')), 'link');
    assert.equal(host.lstatKind(path.join(dir, 'dangling')), 'link');
    assert.equal(host.lstatKind(path.join(dir, 'nope')), null);
    assert.equal(host.lstatKind('/dev/null'), 'other');
  });

  await t.test('realpath', () => {
    assert.equal(host.realpath(path.join(dir, 'dirlink')), path.join(dir, 'sub'));
    assert.equal(host.realpath(path.join(dir, 'dangling')), null);
    assert.equal(host.realpath(path.join(dir, 'loop1')), null);
  });

  await t.test('readFile reads at most limit bytes and returns a Uint8Array', () => {
    const all = host.readFile(path.join(dir, 'a.json'), 1000);
    assert.ok(all instanceof Uint8Array);
    assert.equal(Buffer.from(all).toString(), '0123456789');
    assert.equal(Buffer.from(host.readFile(path.join(dir, 'a.json'), 4)).toString(), '0123');
    assert.equal(Buffer.from(host.readFile(path.join(dir, 'a.json'), 10n)).toString(), '0123456789');
    assert.equal(host.readFile(path.join(dir, 'a.json'), 0).length, 0);
    assert.equal(Buffer.from(host.readFile(path.join(dir, 'link'), 11)).toString(), '0123456789');
    // files whose size is not known up front
    assert.equal(host.readFile('/dev/zero', 100000).length, 100000);
    const big = Buffer.alloc(200000, 7);
    fs.writeFileSync(path.join(dir, 'big.bin'), big);
    assert.ok(Buffer.from(host.readFile(path.join(dir, 'big.bin'), 1e9)).equals(big));
    assert.equal(host.readFile(path.join(dir, 'big.bin'), 150001).length, 150001);
  });

  await t.test('readStart gives the first bytes and the size, or only the size when over the limit', () => {
    const a = path.join(dir, 'a.json');
    const head = host.readStart(a, 4, 1000);
    assert.equal(Buffer.from(head.bytes).toString(), '0123');
    assert.equal(head.size, 10);
    const all = host.readStart(a, 1000, 1000);
    assert.equal(Buffer.from(all.bytes).toString(), '0123456789');
    assert.equal(all.size, 10);
    const over = host.readStart(a, 4, 9);
    assert.equal(over.bytes.length, 0);
    assert.equal(over.size, 10);
    assert.equal(Buffer.from(host.readStart(path.join(dir, 'link'), 3, 100).bytes).toString(), '012');
    // the walk reads regular files only: a device or FIFO is refused at once, not read
    assert.throws(() => host.readStart('/dev/zero', 5000, 1e9), /not a regular file/);
    assert.throws(() => host.readStart(path.join(dir, 'nope'), 10, 10), /ENOENT/);
  });

  await t.test('readFile throws an Error with the OS message', (tt) => {
    assert.throws(() => host.readFile(path.join(dir, 'nope'), 10), (e) => e instanceof Error && /ENOENT/.test(e.message));
    assert.throws(() => host.readFile(path.join(dir, 'sub'), 10), (e) => e instanceof Error && /EISDIR/.test(e.message));
    if (process.getuid && process.getuid() === 0) return tt.skip('running as root: EACCES cannot be provoked');
    const locked = path.join(dir, 'locked');
    fs.writeFileSync(locked, 'x');
    fs.chmodSync(locked, 0);
    assert.throws(() => host.readFile(locked, 10), (e) => e instanceof Error && /EACCES/.test(e.message));
  });

  await t.test('writeFile writes bytes', () => {
    const p = path.join(dir, 'out.bin');
    const bytes = new Uint8Array([1, 2, 3, 4, 5]).subarray(1, 4);
    host.writeFile(p, bytes);
    assert.deepEqual([...fs.readFileSync(p)], [2, 3, 4]);
    assert.throws(() => host.writeFile(path.join(dir, 'no', 'such', 'x'), bytes), /ENOENT/);
  });
});

test('host environment', () => {
  const h = createHost({ env: { A: 'x', EMPTY: '' }, stdout: { isTTY: true } });
  assert.equal(h.env('A'), 'x');
  assert.equal(h.env('EMPTY'), '');
  assert.equal(h.env('MISSING'), undefined);
  assert.equal(h.isTty(), true);
  assert.equal(createHost({ stdout: {} }).isTty(), false);
  const r = h.randomBytes();
  assert.ok(r instanceof Uint8Array);
  assert.equal(r.length, 16);
  assert.notDeepEqual(r, h.randomBytes());
  assert.equal(h.cwd(), process.cwd());
});
