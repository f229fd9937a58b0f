'use strict';
// The reconnect policy: waits of 1, 2, 5, 10, 30 s (the last repeats), each ±30%, reset by a success.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, settle } = require('../test-support/harness.js');

/** A polling page whose polls fail while `state.down`; `random` is the jitter source. */
async function flakyPage(random) {
  const state = { down: true };
  const h = createHarness({
    delivery: { mode: 'polling', pollMillis: 5000 },
    onPoll: () => { if (state.down) throw new TypeError('Failed to fetch'); return jsonReply(200, { updates: [] }); },
    engine: { random },
  });
  await h.pagewire.start();
  await settle();
  /** The wait planned after the latest failure, then lets it pass. */
  const nextWait = async () => {
    const [wait] = h.timers.delays();
    h.timers.advance(wait);
    await settle();
    return wait;
  };
  return { ...h, state, nextWait };
}

test('the waits follow the list, the last one repeating', async () => {
  const h = await flakyPage(() => 0.5);
  const waits = [];
  for (let i = 0; i < 7; i++) waits.push(await h.nextWait());
  assert.deepEqual(waits, [1000, 2000, 5000, 10000, 30000, 30000, 30000]);
  assert.equal(h.eventsOf('disconnect').length, 1);
});

test('jitter stays within ±30%', async () => {
  const low = await flakyPage(() => 0);
  assert.deepEqual([await low.nextWait(), await low.nextWait(), await low.nextWait()], [700, 1400, 3500]);
  const high = await flakyPage(() => 0.999999);
  assert.deepEqual([await high.nextWait(), await high.nextWait(), await high.nextWait()], [1300, 2600, 6500]);
  let n = 0;
  const varied = await flakyPage(() => [0.1, 0.9, 0.25][n++ % 3]);
  const waits = [await varied.nextWait(), await varied.nextWait(), await varied.nextWait()];
  assert.deepEqual(waits, [760, 2480, 4250]);
});

test('a success resets the waits', async () => {
  const h = await flakyPage(() => 0.5);
  await h.nextWait();
  await h.nextWait();
  h.state.down = false;
  assert.equal(await h.nextWait(), 5000, 'this poll works');
  assert.deepEqual(h.timers.delays(), [5000], 'then the normal interval');
  h.state.down = true;
  assert.equal(await h.nextWait(), 5000);
  assert.equal(await h.nextWait(), 1000, 'from the start of the list');
  assert.deepEqual(h.eventsOf('disconnect').length, 2);
  assert.deepEqual(h.eventsOf('connect').length, 2);
});
