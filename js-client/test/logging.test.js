'use strict';
// The logger: an optional {log(level, message)} told of state changes; none by default.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, jsonReply, errorReply, deferred, settle } = require('../test-support/harness.js');

/** A logger that keeps `level message` lines. */
function recordingLogger() {
  const lines = [];
  return { lines, log(level, message) { lines.push(`${level} ${message}`); } };
}

test('handshake, the mode chosen and the end of the page are logged', async () => {
  const logger = recordingLogger();
  const h = createHarness({ delivery: { mode: 'polling', pollMillis: 3000 }, engine: { logger } });
  await h.pagewire.start();
  await settle();
  const id = h.pagewire.pageId;
  h.window.dispatch('pagehide', { persisted: false });
  assert.deepEqual(logger.lines, [
    `info handshake done: page ${id}, advised mode polling`,
    'debug mode chosen: polling',
    'info mode changed: passive -> polling',
    `info page ${id} ended: the page is hidden or unloading`,
  ]);
});

test('a comet fallback, a lost and restored connection and an overflow resync are logged', async () => {
  const logger = recordingLogger();
  const held = [];
  const h = createHarness({
    delivery: { mode: 'comet' },
    onPoll: (request) => {
      const reply = deferred();
      held.push(reply);
      return request.body.hold ? reply.promise : jsonReply(200, { updates: [] });
    },
  });
  h.pagewire.setLogger(logger);
  await h.pagewire.start();
  await settle();
  const id = h.pagewire.pageId;
  held.shift().reject(new TypeError('Failed to fetch'));
  await settle();
  h.timers.advance(1000);
  await settle();
  held.shift().resolve(jsonReply(200, { updates: [{ seq: 1, resync: true }], fallback: 'polling' }));
  await settle();
  assert.deepEqual(logger.lines.slice(3), [
    `warn connection lost: page ${id} (NETWORK)`,
    `warn resync: page ${id} (overflow)`,
    `info connection restored: page ${id}, mode comet`,
    'warn mode changed: comet -> polling (fallback)',
  ]);
});

test('a refused handshake is logged; no line holds a token', async () => {
  const logger = recordingLogger();
  let refuse = true;
  const h = createHarness({
    onHandshake: () => (refuse ? errorReply(403, 'FORBIDDEN_ORIGIN')
      : jsonReply(200, { page: 'P-log', token: 'secret-token', delivery: { mode: 'sse', allowed: ['sse'] } })),
    engine: { logger },
  });
  void h.pagewire.start(); // never ready: the handshake is refused
  await settle();
  refuse = false;
  await h.pagewire.proxy('Echo', { echo: [1] }).echo('hi');
  h.streams.at(-1).fail();
  await settle();
  assert.equal(logger.lines[0], 'error handshake refused: 403 FORBIDDEN_ORIGIN');
  assert.ok(logger.lines.includes('warn connection lost: page P-log (NETWORK)'), logger.lines.join('\n'));
  assert.ok(logger.lines.every((line) => !line.includes('secret-token')), logger.lines.join('\n'));
});

test('without a logger nothing is logged; a throwing logger breaks nothing; setLogger(null) removes it', async () => {
  const quiet = createHarness({ delivery: { mode: 'polling' } });
  const printed = [];
  const saved = {};
  for (const level of ['log', 'debug', 'info', 'warn', 'error']) {
    saved[level] = console[level];
    console[level] = (...args) => printed.push(args.join(' '));
  }
  try {
    await quiet.pagewire.start();
    await settle();
    quiet.window.dispatch('pagehide', {});
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(printed, [], 'no logger: nothing on the console either');
  const h = createHarness({ delivery: { mode: 'polling' }, engine: { logger: { log() { throw new Error('bad logger'); } } } });
  const reported = [];
  const reportError = globalThis.reportError;
  globalThis.reportError = (error) => reported.push(error.message);
  try {
    await h.pagewire.start();
    await settle();
    assert.equal(h.pagewire.mode, 'polling');
    assert.ok(reported.length > 0 && reported.every((m) => m === 'bad logger'));
  } finally {
    globalThis.reportError = reportError;
  }
  const logger = recordingLogger();
  h.pagewire.setLogger(logger);
  h.pagewire.setLogger(null);
  h.window.dispatch('pagehide', {});
  assert.deepEqual(logger.lines, []);
  assert.throws(() => h.pagewire.setLogger({}), /a logger is an object with a log\(level, message\) function/);
});
