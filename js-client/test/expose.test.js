'use strict';
// What pagewire.expose accepts (how updates reach the exposed functions: updates.test.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness } = require('../test-support/harness.js');

test('expose takes identifiers joined by dots, and objects or functions', () => {
  const h = createHarness();
  h.pagewire.expose('chatUi', {});
  h.pagewire.expose('app.chat.ui', {});
  h.pagewire.expose('alertUser', () => {});
  for (const name of ['', 'a..b', '.a', 'a.', '1a', 'a-b', 42]) {
    assert.throws(() => h.pagewire.expose(name, {}), TypeError, String(name));
  }
  assert.throws(() => h.pagewire.expose('ui', null), TypeError);
  assert.throws(() => h.pagewire.expose('ui', 'text'), TypeError);
});
