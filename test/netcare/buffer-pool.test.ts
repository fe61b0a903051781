// The message buffers written into again (buffer-pool.ts): the smallest that fits, a new one
// when none does, never more than the pool's cap kept, and what a writer outgrows given back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferPool } from '../../src/netcare/buffer-pool.ts';
import { ByteWriter } from '../../src/netcare/byte-writer.ts';

const pool = suite('message buffers used again');

pool('the smallest kept buffer that fits is taken, and taken once', () => {
  const buffers = new BufferPool();
  const [small, middle, large] = [Buffer.alloc(1000), Buffer.alloc(5000), Buffer.alloc(9000)];
  for (const b of [large, small, middle]) buffers.give(b);
  assert.is(buffers.take(4000), middle);
  assert.is(buffers.take(4000), large, 'the middle one is gone: the next that fits');
  const fresh = buffers.take(4000);
  assert.ok(fresh !== small && fresh.length >= 4000, 'none fits: a new buffer');
  assert.is(buffers.take(10), small);
  assert.is(buffers.bytes(), 0);
});

pool('no more than 16 MB wait in the pool', () => {
  const buffers = new BufferPool();
  for (let i = 0; i < 5; i++) buffers.give(Buffer.allocUnsafeSlow(4 * 1024 * 1024));
  assert.is(buffers.bytes(), 16 * 1024 * 1024, 'the fifth is dropped');
});

pool('a writer writes into a kept buffer from its start, and gives back what it outgrows', () => {
  const buffers = new BufferPool();
  const old = Buffer.alloc(2048, 'x');
  buffers.give(old);
  const out = new ByteWriter(1500, buffers);
  out.ascii('{"a":1}');
  assert.is(out.bytes().toString('latin1'), '{"a":1}', 'nothing of what the buffer held before');
  assert.is(out.bytes().buffer, old.buffer, 'written into the kept buffer');
  out.ascii('y'.repeat(3000));
  assert.is(out.bytes().length, 3007);
  assert.is(buffers.take(2048), old, 'the outgrown buffer went back to the pool');
});

pool.run();
