'use strict';
// Calls carrying files (multipart by XMLHttpRequest, with upload progress) and downloads.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHarness, handshakeReply, jsonReply, settle } = require('../test-support/harness.js');

const FILES = { attach: [2], attachAll: [1], echo: [1], report: [0] };

/** A minimal XMLHttpRequest: records the request; the test reports progress and answers by hand. */
function fakeXhr() {
  const sent = [];
  class Xhr {
    constructor() {
      this.headers = {};
      this.upload = { onprogress: null };
      this.withCredentials = false;
      sent.push(this);
    }
    open(method, url) { this.method = method; this.url = url; }
    setRequestHeader(name, value) { this.headers[name] = value; }
    send(body) { this.body = body; }
    progress(loaded, total) { this.upload.onprogress({ loaded, total, lengthComputable: true }); }
    respond(status, body) {
      this.status = status;
      this.responseText = JSON.stringify(body);
      this.onload();
    }
    fail() { this.onerror(); }
    abort() { this.aborted = true; this.onabort(); }
    /** The batch part, parsed. */
    batch() { return JSON.parse(this.body.get('batch')); }
  }
  return { Xhr, sent };
}

function harness(limits = { maxCallsPerBatch: 100 }, engine = {}) {
  const xhr = fakeXhr();
  const h = createHarness({ onHandshake: () => handshakeReply(limits), engine: { XMLHttpRequest: xhr.Xhr, ...engine } });
  return { h, xhr, Files: h.pagewire.proxy('Files', FILES) };
}

/** Waits until the engine has opened `count` uploads. */
async function uploads(xhr, count) {
  for (let i = 0; i < 20 && xhr.sent.length < count; i++) await settle();
  assert.equal(xhr.sent.length, count);
  return xhr.sent[count - 1];
}

test('a Blob argument sends its call as multipart: the batch part names the file by index', async () => {
  const { h, xhr, Files } = harness();
  const file = new File(['hello'], 'greeting.txt', { type: 'text/plain' });
  const result = Files.attach('room-1', file);
  const request = await uploads(xhr, 1);

  assert.equal(request.method, 'POST');
  assert.equal(request.url, '/ctx/pagewire/call');
  const id = h.pagewire.pageId;
  assert.deepEqual(request.headers, { 'Pagewire-Page': id, 'Pagewire-Token': id.replace('P', 'T') });
  assert.deepEqual(request.batch(), {
    ack: 0, batch: 1, calls: [{ id: 1, proxy: 'Files', method: 'attach', args: ['room-1', { $file: 0 }] }],
  });
  const [part] = request.body.getAll('file');
  assert.equal(part.name, 'greeting.txt');
  assert.equal(part.type, 'text/plain');
  assert.equal(await part.text(), 'hello');
  assert.equal(h.callRequests().length, 0, 'no JSON POST for it');

  request.respond(200, { replies: [{ id: 1, result: 'stored' }] });
  assert.equal(await result, 'stored');
});

test('several files, nested in arrays, are numbered in argument order', async () => {
  const { xhr, Files } = harness();
  const result = Files.attachAll([new Blob(['a']), new Blob(['bb'])]);
  const request = await uploads(xhr, 1);

  assert.deepEqual(request.batch().calls[0].args, [[{ $file: 0 }, { $file: 1 }]]);
  const parts = request.body.getAll('file');
  assert.deepEqual(await Promise.all(parts.map((p) => p.text())), ['a', 'bb']);
  assert.deepEqual(parts.map((p) => p.name), ['blob', 'blob']);
  request.respond(200, { replies: [{ id: 1, result: 2 }] });
  assert.equal(await result, 2);
});

test('a call with files goes alone, between the calls made before and after it, in order', async () => {
  const { h, xhr, Files } = harness();
  const results = [Files.echo('before'), Files.attach('x', new Blob(['data'])), Files.echo('after')];
  const request = await uploads(xhr, 1);

  assert.deepEqual(h.callRequests().map((r) => r.body.calls.map((c) => c.args[0])), [['before']]);
  request.respond(200, { replies: [{ id: 2, result: 'ok' }] });
  assert.deepEqual(await Promise.all(results), ['before', 'ok', 'after']);
  assert.deepEqual(h.callRequests().map((r) => r.body.calls.map((c) => c.args[0])), [['before'], ['after']]);
});

test('upload progress reaches the call\'s onProgress and the progress event', async () => {
  const { h, xhr, Files } = harness();
  const seen = [];
  const events = [];
  h.pagewire.on('progress', (detail) => events.push(detail));
  const result = Files.attach('x', new Blob(['0123456789']), { onProgress: (p) => seen.push(p) });
  const request = await uploads(xhr, 1);

  request.progress(100, 400);
  request.progress(400, 400);
  request.respond(200, { replies: [{ id: 1, result: 'ok' }] });
  await result;
  request.progress(400, 400); // late: the call is settled

  assert.deepEqual(seen, [{ loaded: 100, total: 400 }, { loaded: 400, total: 400 }]);
  assert.deepEqual(events, [
    { proxy: 'Files', method: 'attach', loaded: 100, total: 400 },
    { proxy: 'Files', method: 'attach', loaded: 400, total: 400 },
  ]);
});

test('a file over the handshake\'s maxUploadBytes fails its call unsent, naming the limit; others run', async () => {
  const { h, xhr, Files } = harness({ maxCallsPerBatch: 100, maxUploadBytes: 4, maxUploadBytesPerCall: 100, maxUploadFiles: 2 });
  const big = Files.attach('x', new File(['12345'], 'big.bin'));
  const other = Files.echo('still here');

  await assert.rejects(big, (e) => e.code === 'PAYLOAD_TOO_LARGE' && /big\.bin exceeds maxUploadBytes \(4 bytes\)/.test(e.message));
  assert.equal(await other, 'still here');
  assert.equal(xhr.sent.length, 0);
  assert.equal(h.eventsOf('error').length, 1);
});

test('too many files, or too many bytes in all, fail unsent naming maxUploadFiles or maxUploadBytesPerCall', async () => {
  const { xhr, Files } = harness({ maxCallsPerBatch: 100, maxUploadBytes: 10, maxUploadBytesPerCall: 12, maxUploadFiles: 2 });
  const many = Files.attachAll([new Blob(['a']), new Blob(['b']), new Blob(['c'])]);
  const heavy = Files.attachAll([new Blob(['1234567']), new Blob(['1234567'])]);

  await assert.rejects(many, (e) => e.code === 'PAYLOAD_TOO_LARGE' && /maxUploadFiles \(2\)/.test(e.message));
  await assert.rejects(heavy, (e) => e.code === 'PAYLOAD_TOO_LARGE' && /maxUploadBytesPerCall \(12 bytes\)/.test(e.message));
  assert.equal(xhr.sent.length, 0);
});

test('the server\'s refusal of an upload (413) fails that call with its code and message', async () => {
  const { xhr, Files } = harness();
  const result = Files.attach('x', new Blob(['data']));
  const request = await uploads(xhr, 1);
  request.respond(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'the file blob exceeds maxUploadBytes (1 bytes)' } });

  await assert.rejects(result, (e) => e.code === 'PAYLOAD_TOO_LARGE' && /maxUploadBytes/.test(e.message));
});

test('an upload cut off fails its call as NETWORK', async () => {
  const { xhr, Files } = harness();
  const result = Files.attach('x', new Blob(['data']));
  (await uploads(xhr, 1)).fail();

  await assert.rejects(result, (e) => e.code === 'NETWORK');
});

test('a call with files that times out cuts its upload', async () => {
  const { h, xhr, Files } = harness();
  const result = Files.attach('x', new Blob(['data']), { timeout: 1000 });
  const request = await uploads(xhr, 1);
  h.timers.advance(1000);

  await assert.rejects(result, (e) => e.code === 'TIMEOUT');
  assert.equal(request.aborted, true);
});

test('a download result becomes {name, type, size, url, save()}; save() clicks a download anchor', async () => {
  const clicked = [];
  const body = { appendChild: (a) => { a.parent = body; } };
  const document = {
    visibilityState: 'visible', addEventListener() {}, removeEventListener() {}, body,
    createElement: (tag) => ({
      tag, style: {}, remove() {},
      click() { clicked.push({ tag: this.tag, href: this.href, download: this.download, attached: this.parent === body }); },
    }),
  };
  const link = { name: 'report.csv', type: 'text/csv', size: 12, url: '/ctx/pagewire/download/abc' };
  const h = createHarness({
    onCall: (request) => jsonReply(200, { replies: [{ id: request.body.calls[0].id, result: { $download: link } }] }),
    engine: { document },
  });
  const download = await h.pagewire.proxy('Files', FILES).report();

  assert.deepEqual(Object.keys(download), ['name', 'type', 'size', 'url', 'save']);
  assert.deepEqual({ ...download, save: undefined }, { ...link, save: undefined });
  assert.ok(Object.isFrozen(download));
  download.save();
  assert.deepEqual(clicked, [{ tag: 'a', href: link.url, download: 'report.csv', attached: true }]);
});

test('a result that merely has a $download key among others is left as it came', async () => {
  const result = { $download: { name: 'x' }, other: 1 };
  const h = createHarness({
    onCall: (request) => jsonReply(200, { replies: [{ id: request.body.calls[0].id, result }] }),
  });
  assert.deepEqual(await h.pagewire.proxy('Files', FILES).report(), result);
});
