'use strict';
// Functions the page exposes to the server (the push protocol will call _dispatchUpdate).
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness } = require('../test-support/harness.js');

test('an exposed function is called with its object as this', () => {
  const h = createHarness();
  const ui = {
    messages: [],
    addMessage(text, from) { this.messages.push(`${from}: ${text}`); },
  };
  h.pagewire.expose('chatUi', ui);
  assert.equal(h.pagewire._dispatchUpdate({ fn: 'chatUi.addMessage', args: ['hi', 'ann'] }), true);
  assert.deepEqual(ui.messages, ['ann: hi']);
});

test('an unknown name or method fires error with NOT_FOUND', () => {
  const h = createHarness();
  h.pagewire.expose('chatUi', { addMessage() {} });
  for (const fn of ['chatUi.missing', 'other.addMessage', 'chatUi', 'chatUi.toString', 'chatUi.constructor']) {
    assert.equal(h.pagewire._dispatchUpdate({ fn, args: [] }), false, fn);
  }
  const codes = h.events.map((e) => [e.event, e.detail.code, e.detail.message]);
  assert.equal(codes.length, 5);
  assert.deepEqual(codes[0], ['error', 'NOT_FOUND', 'No exposed function chatUi.missing']);
  assert.ok(codes.every(([event, code]) => event === 'error' && code === 'NOT_FOUND'));
});

test('an exposed function that throws fires error with what it threw', () => {
  const h = createHarness();
  const oops = new Error('page bug');
  h.pagewire.expose('ui', { render() { throw oops; } });
  assert.equal(h.pagewire._dispatchUpdate({ fn: 'ui.render', args: [] }), false);
  assert.deepEqual(h.events, [{ event: 'error', detail: oops }]);
});

test('expose checks its arguments', () => {
  const h = createHarness();
  assert.throws(() => h.pagewire.expose('a.b', {}), TypeError);
  assert.throws(() => h.pagewire.expose('ui', null), TypeError);
});
