'use strict';
// Tabs sharing one WebSocket: a Web Lock elects the leader, which holds the one socket and
// attaches every other tab's page to it; frames reach their own tab over a BroadcastChannel, acks
// go back the same way; closing or freezing the leader hands over, each page resuming from its
// own cursor. Several engines (tabs) share fake Web Locks and a fake BroadcastChannel.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, settle } = require('../test-support/harness.js');

/**
 * Web Locks as a browser grants them: exclusive, in request order, `ifAvailable` and `signal`
 * honoured; `query()` lists the held ones; `crash(name)` forgets a lock as a browser does when its
 * tab dies.
 */
function createLocks() {
  const held = new Set();
  const queues = new Map(); // name -> waiting grants
  const grant = (name, callback, resolve, reject) => {
    held.add(name);
    Promise.resolve().then(() => callback({ name })).then(resolve, reject).finally(() => {
      held.delete(name);
      const next = (queues.get(name) || []).shift();
      if (next) next();
    });
  };
  return {
    query: async () => ({ held: [...held].map((name) => ({ name })) }),
    crash(name) { held.delete(name); },
    request(name, given, more) {
      const options = typeof given === 'function' ? {} : given;
      const callback = typeof given === 'function' ? given : more;
      return new Promise((resolve, reject) => {
        const queue = queues.get(name) || [];
        queues.set(name, queue);
        if (!held.has(name) && queue.length === 0) {
          grant(name, callback, resolve, reject);
        } else if (options.ifAvailable) {
          Promise.resolve().then(() => callback(null)).then(resolve, reject);
        } else {
          const waiting = () => grant(name, callback, resolve, reject);
          queue.push(waiting);
          if (options.signal) {
            options.signal.addEventListener('abort', () => {
              const at = queue.indexOf(waiting);
              if (at >= 0) queue.splice(at, 1);
              reject(new DOMException('aborted', 'AbortError'));
            });
          }
        }
      });
    },
  };
}

/** A BroadcastChannel class whose instances of one name hear each other's messages (not their own). */
function createChannels() {
  const open = new Set();
  return class FakeBroadcastChannel {
    constructor(name) {
      this.name = name;
      this.listeners = [];
      open.add(this);
    }
    addEventListener(type, fn) { if (type === 'message') this.listeners.push(fn); }
    postMessage(message) {
      if (!open.has(this)) throw new DOMException('closed', 'InvalidStateError');
      const copy = structuredClone(message);
      for (const other of open) {
        if (other !== this && other.name === this.name) setImmediate(() => { if (open.has(other)) other.listeners.forEach((fn) => fn({ data: copy })); });
      }
    }
    close() { open.delete(this); }
  };
}

/** One browser: tabs of one origin share its locks and channels. */
function createBrowser() {
  return { locks: createLocks(), BroadcastChannel: createChannels() };
}

/** A started tab on a websocket page whose server lets tabs share. */
async function openTab(browser, { delivery = {}, engine = {}, onHandshake } = {}) {
  const h = createHarness({
    delivery: { mode: 'websocket', ackDelayMillis: 1000, shareTabs: true, ...delivery },
    engine: { ...browser, ...engine },
    onHandshake,
  });
  const got = [];
  const roles = [];
  h.pagewire.expose('ui', { add(v) { got.push(v); } });
  h.pagewire.on('role', (detail) => roles.push(detail.role));
  await h.pagewire.start();
  await settle();
  return { ...h, got, roles, socket: () => h.sockets.at(-1), id: h.pagewire.pageId };
}

const add = (seq) => ({ seq, call: 'ui.add', args: [seq] });

async function advance(tabs, ms) {
  for (const tab of tabs) tab.timers.advance(ms);
  await settle();
  await settle();
}

test('the first tab leads and holds the one socket; the others follow, open none, and are attached with token and cursor', async () => {
  const browser = createBrowser();
  const leader = await openTab(browser);
  const follower = await openTab(browser);
  await settle();
  assert.equal(leader.pagewire.tabRole, 'leader');
  assert.equal(follower.pagewire.tabRole, 'follower');
  assert.deepEqual([leader.roles, follower.roles], [['leader'], ['follower']]);
  assert.equal(leader.sockets.length, 1);
  assert.equal(follower.sockets.length, 0, 'a follower opens no socket');
  leader.socket().open();
  assert.deepEqual(leader.socket().sentOf('hello').map((f) => f.page), [leader.id]);
  assert.deepEqual(leader.socket().sentOf('attach'), [
    { type: 'attach', page: follower.id, token: `T${follower.id.slice(1)}`, ack: 0 }]);
});

test("a carried page's frames reach its own tab, applied once and in order, and its acks go back through the leader", async () => {
  const browser = createBrowser();
  const leader = await openTab(browser);
  const follower = await openTab(browser);
  leader.socket().open();
  leader.socket().receive({ page: follower.id, type: 'attached' });
  leader.socket().receive({ page: follower.id, type: 'updates', updates: [add(1), add(2)] });
  leader.socket().receive({ page: follower.id, type: 'updates', updates: [add(2), add(3)] });
  leader.socket().receive({ type: 'updates', updates: [add(1)] });
  await settle();
  assert.deepEqual(follower.got, [1, 2, 3]);
  assert.deepEqual(leader.got, [1], "the leader applies only its own page's frames");
  await advance([follower], 1000);
  assert.deepEqual(leader.socket().sentOf('ack').filter((f) => f.page), [{ type: 'ack', page: follower.id, ack: 3 }]);
  assert.equal(follower.ackRequests().length, 0, 'no POST ack from a follower');
  assert.equal(await follower.pagewire.proxy('Echo', { echo: [1] }).echo('hi'), 'hi');
  assert.equal(follower.callRequests().length, 1, "a follower's calls go by its own POST");
});

test('closing the leader hands over: the next tab leads and attaches every other tab from its own cursor', async () => {
  const browser = createBrowser();
  const first = await openTab(browser);
  const second = await openTab(browser);
  const third = await openTab(browser);
  first.socket().open();
  await settle();
  first.socket().receive({ page: second.id, type: 'updates', updates: [add(1), add(2), add(3)] });
  first.socket().receive({ page: third.id, type: 'updates', updates: [add(1), add(2)] });
  await settle();

  first.window.dispatch('pagehide'); // the leader tab closes: its lock goes to the next in line
  await settle();
  await settle();
  assert.equal(first.socket().closeCode, 1000);
  assert.equal(second.pagewire.tabRole, 'leader');
  assert.equal(third.pagewire.tabRole, 'follower');
  assert.deepEqual(second.roles, ['follower', 'leader']);
  assert.equal(second.sockets.length, 1);
  second.socket().open();
  await settle();
  assert.deepEqual(second.socket().sentOf('hello').map((f) => f.ack), [3], 'the new leader says hello from its own cursor');
  assert.deepEqual(second.socket().sentOf('attach').map((f) => [f.page, f.ack]), [[third.id, 2]]);
  second.socket().receive({ page: third.id, type: 'updates', updates: [add(2), add(3)] }); // 2 came before: dropped
  await settle();
  assert.deepEqual(third.got, [1, 2, 3], 'nothing lost, nothing applied twice');
});

test("followers lose the server with the leader's socket, and find it again when attached anew", async () => {
  const browser = createBrowser();
  const leader = await openTab(browser);
  const follower = await openTab(browser);
  leader.socket().open();
  await settle();
  leader.socket().receive({ page: follower.id, type: 'attached' });
  leader.socket().drop();
  await settle();
  assert.deepEqual(follower.eventsOf('disconnect').map((d) => d.code), ['NETWORK']);
  await advance([leader], 1000);
  leader.socket().open();
  await settle();
  assert.deepEqual(leader.socket().sentOf('attach').map((f) => f.page), [follower.id], 'attached again on the new socket');
  leader.socket().receive({ page: follower.id, type: 'attached' });
  await settle();
  assert.equal(follower.eventsOf('connect').length, 2, 'the handshake, then the return');
});

test('a frozen leader hands over, and follows when it resumes', async () => {
  const browser = createBrowser();
  const first = await openTab(browser);
  const second = await openTab(browser);
  first.document.dispatch('freeze');
  await settle();
  await settle();
  assert.equal(second.pagewire.tabRole, 'leader');
  assert.equal(first.pagewire.tabRole, null);
  first.document.dispatch('resume');
  await settle();
  await settle();
  assert.equal(first.pagewire.tabRole, 'follower');
  second.socket().open();
  await settle();
  assert.deepEqual(second.socket().sentOf('attach').map((f) => f.page), [first.id]);
});

test("the leader detaches the page of a tab that died without a word (its page's lock is gone)", async () => {
  const browser = createBrowser();
  const leader = await openTab(browser);
  const follower = await openTab(browser);
  const other = await openTab(browser);
  leader.socket().open();
  await settle();
  leader.socket().receive({ type: 'hb' });
  await advance([leader], 15000);
  assert.deepEqual(leader.socket().sentOf('detach'), [], 'live tabs stay attached');
  browser.locks.crash(`pagewire-tabs /ctx/pagewire ${follower.id}`);
  leader.socket().receive({ type: 'hb' }); // the server's heartbeat keeps the socket
  await advance([leader], 15000);
  assert.deepEqual(leader.socket().sentOf('detach'), [{ type: 'detach', page: follower.id }],
    'a dead tab is no longer carried: the server ends its page when it goes idle');
  assert.deepEqual(leader.socket().sentOf('attach').map((f) => f.page), [follower.id, other.id]);
});

test('a detached page attaches again after the backoff; PAGE_UNKNOWN makes its tab a new page', async () => {
  const browser = createBrowser();
  const leader = await openTab(browser);
  const follower = await openTab(browser);
  leader.socket().open();
  await settle();
  leader.socket().receive({ page: follower.id, type: 'detached', code: 4001, reason: 'SLOW_READER' });
  await settle();
  await advance([leader, follower], 1000);
  assert.equal(leader.socket().sentOf('attach').length, 2, 'attached again');
  leader.socket().receive({ page: follower.id, type: 'detached', status: 410, error: { code: 'PAGE_UNKNOWN', message: 'gone' } });
  await settle();
  await settle();
  assert.equal(follower.handshakeRequests().length, 2);
  await settle();
  const attaches = leader.socket().sentOf('attach');
  assert.equal(attaches.at(-1).page, follower.pagewire.pageId, 'the new page is attached');
  assert.notEqual(follower.pagewire.pageId, follower.id);
});

test('a tab stopped before the lock answers takes no role and holds no lock', async () => {
  const browser = createBrowser();
  const leader = await openTab(browser);
  const h = createHarness({ delivery: { mode: 'websocket', shareTabs: true }, engine: { ...browser } });
  const roles = [];
  h.pagewire.on('role', (detail) => roles.push(detail.role));
  await h.pagewire.start();
  h.pagewire.reverseAjax('polling'); // before the lock requests are answered
  await settle();
  await settle();
  assert.deepEqual(roles, []);
  assert.equal(h.pagewire.tabRole, null);
  leader.window.dispatch('pagehide');
  await settle();
  await settle();
  assert.equal(h.sockets.length, 0, 'it does not lead when the leader goes');
});

test('each tab opens its own socket without Web Locks, with sharing off in the page, or off on the server', async () => {
  const browser = createBrowser();
  const noLocks = await openTab(browser, { engine: { locks: {} } });
  const optedOut = await openTab(browser, { engine: { shareTabs: false } });
  const serverOff = await openTab(browser, { delivery: { shareTabs: false } });
  for (const tab of [noLocks, optedOut, serverOff]) {
    assert.equal(tab.sockets.length, 1);
    assert.equal(tab.pagewire.tabRole, null);
  }
  const leader = await openTab(browser);
  assert.equal(leader.pagewire.tabRole, 'leader', 'the tabs that do not share hold no lock');
  leader.pagewire.shareTabs(false);
  await settle();
  assert.equal(leader.pagewire.tabRole, null);
  assert.equal(leader.sockets.length, 2, 'turning sharing off restarts the socket on its own');
});

test('a server that refuses sharing (SHARING_OFF) makes the follower open its own socket', async () => {
  const browser = createBrowser();
  const leader = await openTab(browser);
  const follower = await openTab(browser);
  leader.socket().open();
  await settle();
  leader.socket().receive({ page: follower.id, type: 'detached', status: 403, error: { code: 'SHARING_OFF', message: 'off' } });
  await settle();
  assert.equal(follower.sockets.length, 1);
  assert.equal(follower.pagewire.tabRole, null);
  assert.equal(follower.pagewire.mode, 'websocket');
  assert.deepEqual(follower.eventsOf('error'), []);
});

test('a page refused by its delivery rules (MODE_NOT_ALLOWED) falls back to passive, as a refused hello', async () => {
  const browser = createBrowser();
  const leader = await openTab(browser);
  const follower = await openTab(browser);
  leader.socket().open();
  await settle();
  leader.socket().receive({ page: follower.id, type: 'detached', status: 403, error: { code: 'MODE_NOT_ALLOWED', message: 'no' } });
  await settle();
  assert.equal(follower.pagewire.mode, 'passive');
  assert.equal(follower.pagewire.tabRole, null);
  await settle();
  assert.equal(leader.pagewire.tabRole, 'leader');
});
