// The door scanner's enhancement (modules/bookings/scanner). Without this file the page still works:
// the typed code is checked by the server. With it: the camera (BarcodeDetector, or jsQR decoding
// video frames where it is missing), passes checked on the device with the town's public key
// (WebCrypto Ed25519), and offline work: a service worker keeps the page, IndexedDB keeps the day's
// list, the keys and the arrivals (each with an id made here), sent to the server when back online.
// The server enters each arrival once, whatever is sent twice.
/* global indexedDB, Image, btoa */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TOKEN_BYTES = 125;
const SIGNED = 61;

/** Crockford base32 as the pass's text (forgiving case, spaces, dashes, O for 0, I and L for 1). */
function base32Decode(text) {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const out = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const uuid = (b) => {
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** The pass's claims (same layout as passes/token.ts), or null when it is not a version-1 pass. */
function decodePass(text) {
  if (text.length > 400) return null;
  const b = base32Decode(text);
  if (!b || b.length !== TOKEN_BYTES || b[0] !== 1) return null;
  const view = new DataView(b.buffer);
  return {
    kid: hex(b.subarray(1, 5)),
    townId: uuid(b.subarray(5, 21)),
    bookingId: uuid(b.subarray(21, 37)),
    sessionId: uuid(b.subarray(37, 53)),
    validFrom: view.getUint32(53) * 1000,
    validUntil: view.getUint32(57) * 1000,
    signed: b.slice(0, SIGNED),
    signature: b.slice(SIGNED),
  };
}

// ---- IndexedDB: the day's list and the arrivals recorded here -------------------------------------

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('guichet-scanner', 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore('packs');
      req.result.createObjectStore('checkins', { keyPath: 'clientId' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function idb(db, store, mode, fn) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(req?.result);
    tx.onerror = () => reject(tx.error);
  });
}

function newClientId() {
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function importKeys(jwks) {
  const keys = new Map();
  if (!window.crypto?.subtle) return keys;
  for (const jwk of jwks ?? []) {
    try {
      const key = await window.crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
      keys.set(jwk.kid, key);
    } catch {
      // A browser without Ed25519 in WebCrypto: the server checks the passes.
    }
  }
  return keys;
}

async function start(root) {
  const d = root.dataset;
  const messages = JSON.parse(d.messages);
  const say = (key, params = {}) => (messages[key] ?? key).replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  const sessionId = d.session;
  const status = root.querySelector('#scanner-status');
  const panel = document.getElementById('scanner-result');
  const count = document.getElementById('scanner-count');
  const form = document.querySelector('form[method="post"][action$="/staff/scanner"]');
  const field = form?.querySelector('textarea[name="code"]');
  const time = new Intl.DateTimeFormat(d.locale === 'fr' ? 'fr-CA' : 'en-CA', { timeStyle: 'short', timeZone: d.timeZone });
  const dayOf = (at) => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: d.timeZone }).format(at);

  if ('serviceWorker' in navigator && d.workerUrl) {
    navigator.serviceWorker.register(d.workerUrl, { scope: d.scope }).catch(() => {});
  }

  const db = await openDb().catch(() => null);
  let pack = null;
  let keys = new Map();
  let signedOut = false;

  /** The line under the result: network, list and arrivals waiting, one sentence a line. */
  function setStatus(...lines) {
    status.hidden = false;
    status.replaceChildren(
      ...lines.map((line) => {
        const span = document.createElement('span');
        span.textContent = line;
        return span;
      }),
    );
  }

  function show(kind, title, name, detail) {
    panel.className = `scanner-result scanner-result--${kind}`;
    panel.replaceChildren();
    const head = document.createElement('p');
    head.className = 'scanner-result__title';
    const icon = document.createElement('span');
    icon.className = 'scanner-result__icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = kind === 'valid' ? '✔' : kind === 'already' ? '⚠' : '✖';
    head.append(icon, ` ${title}`);
    panel.append(head);
    for (const [text, cls] of [[name, 'scanner-result__name'], [detail, '']]) {
      if (!text) continue;
      const p = document.createElement('p');
      if (cls) p.className = cls;
      p.textContent = text;
      panel.append(p);
    }
  }

  const allCheckins = async () => (db ? ((await idb(db, 'checkins', 'readonly', (s) => s.getAll())) ?? []) : []);

  /** Arrivals of the session today: the server's (from the list) and this device's. */
  async function arrivedHere() {
    const today = dayOf(new Date());
    const seen = new Map();
    for (const c of pack?.checkins ?? []) if (c.sessionId === sessionId) seen.set(c.bookingId, Date.parse(c.at));
    for (const c of await allCheckins()) {
      if (c.sessionId !== sessionId || dayOf(new Date(c.scannedAt)) !== today || c.refused) continue;
      if (!seen.has(c.bookingId)) seen.set(c.bookingId, Date.parse(c.checkedInAt ?? c.scannedAt));
    }
    return seen;
  }

  async function updateCount() {
    if (!pack) return;
    const booked = pack.passes.filter((p) => p.sessionId === sessionId).length;
    const arrived = (await arrivedHere()).size;
    count.textContent = say('arrivals', { arrived, booked });
    // The day's table too (its last column counts arrivals).
    const cell = document.querySelector(`table a[href$="?session=${sessionId}"]`)?.closest('tr')?.lastElementChild;
    if (cell) cell.textContent = String(arrived);
  }

  async function updateStatus() {
    const pending = (await allCheckins()).filter((c) => !c.synced).length;
    const parts = [navigator.onLine ? say('online') : say('offline')];
    if (signedOut) parts.push(say('signInAgain'));
    if (pending > 0) parts.push(say('pending', { count: pending }));
    if (pack && pack.day !== dayOf(new Date())) parts.push(say('listOld'));
    else if (pack) parts.push(say('listReady', { count: pack.passes.length }));
    setStatus(...parts);
  }

  async function loadPack() {
    try {
      if (!navigator.onLine) throw new Error('offline');
      const res = await fetch(d.dayUrl, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (res.ok && (res.headers.get('content-type') ?? '').includes('application/json')) {
        pack = await res.json();
        signedOut = false;
        if (db) await idb(db, 'packs', 'readwrite', (s) => s.put(pack, 'day'));
      } else if (res.redirected || res.status === 401 || res.status === 403) {
        signedOut = true;
      }
    } catch {
      // Offline: the list kept on this device.
    }
    if (!pack && db) pack = (await idb(db, 'packs', 'readonly', (s) => s.get('day'))) ?? null;
    keys = await importKeys(pack?.keys);
  }

  /** Sends the arrivals not sent yet; returns the server's answers by client id. */
  let syncing = null;
  function sync() {
    syncing ??= (async () => {
      const answers = new Map();
      const waiting = (await allCheckins()).filter((c) => !c.synced);
      if (waiting.length === 0 || !navigator.onLine) return answers;
      try {
        const items = waiting.map((c) => ({ clientId: c.clientId, code: c.code, sessionId: c.sessionId, scannedAt: c.scannedAt, method: c.method }));
        const res = await fetch(d.syncUrl, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ _csrf: d.csrf, items }),
        });
        if (!res.ok || !(res.headers.get('content-type') ?? '').includes('application/json')) {
          signedOut = res.redirected || res.status === 403 || res.status === 401;
          if (!signedOut) setStatus(say('syncFailed'));
          return answers;
        }
        signedOut = false;
        const { results } = await res.json();
        for (const r of results) {
          answers.set(r.clientId, r);
          const local = waiting.find((c) => c.clientId === r.clientId);
          if (!local) continue;
          const done = { ...local, synced: true, refused: r.status === 'refused', checkedInAt: r.checkedInAt ?? null, message: r.message ?? null };
          if (db) await idb(db, 'checkins', 'readwrite', (s) => s.put(done));
        }
        if (results.length > 0) setStatus(say('synced', { count: results.length }));
      } catch {
        setStatus(say('syncFailed'));
      }
      return answers;
    })().finally(() => {
      syncing = null;
      void updateStatus();
      void updateCount();
    });
    return syncing;
  }

  /** The plain form's way: the server checks the code and answers with the page. */
  function askServer(text) {
    field.value = text;
    form.submit();
  }

  function refuse(problem) {
    show('refused', say('notValid'), null, say(`problem.${problem}`));
  }

  /** One pass, scanned or typed: checked here, recorded here, sent to the server (at once when online). */
  async function handleCode(text, method) {
    const pass = decodePass(text.trim());
    if (!pass) return refuse('unreadable');
    // A browser without Ed25519 in WebCrypto cannot check signatures: the list alone, the server later.
    const unverified = Boolean(pack) && keys.size === 0 && (pack.keys ?? []).length > 0;
    if (!pack || (!keys.has(pass.kid) && !unverified)) {
      // Nothing to check with on this device (no list yet, or a key it does not know): ask the server.
      if (navigator.onLine && form) return askServer(text);
      return refuse(pack && pass.townId !== pack.townId ? 'otherTown' : 'unknownKey');
    }
    if (unverified && navigator.onLine && form) return askServer(text);
    if (!unverified) {
      const ok = await window.crypto.subtle.verify({ name: 'Ed25519' }, keys.get(pass.kid), pass.signature, pass.signed);
      if (!ok) return refuse('badSignature');
    }
    if (pass.townId !== pack.townId) return refuse('otherTown');
    const now = Date.now();
    if (now < pass.validFrom) return refuse('notYet');
    if (now >= pass.validUntil) return refuse('expired');
    if (pass.sessionId !== sessionId) return refuse('otherSession');
    const onList = () => pack.passes.find((p) => p.bookingId === pass.bookingId && p.sessionId === sessionId);
    let entry = onList();
    // Booked after the list was downloaded: a fresh list when online, else the server decides.
    if (!entry && navigator.onLine) {
      await loadPack();
      entry = onList();
    }
    if (!entry && navigator.onLine && form) return askServer(text);
    if (!entry) return show('refused', say('notValid'), null, say('notOnList'));
    const before = (await arrivedHere()).get(pass.bookingId);
    if (before !== undefined) return show('already', say('already', { time: time.format(before) }), entry.name, null);
    const clientId = newClientId();
    const record = { clientId, code: text.trim(), sessionId, bookingId: pass.bookingId, scannedAt: new Date(now).toISOString(), method, synced: false };
    if (db) await idb(db, 'checkins', 'readwrite', (s) => s.put(record));
    const activity = pack.sessions.find((s) => s.id === sessionId)?.name?.[d.locale] ?? '';
    show('valid', say('valid'), entry.name, [say('checkedInAt', { activity, time: time.format(now) }), unverified ? say('unverified') : ''].join(' ').trim());
    await updateCount();
    if (!navigator.onLine) return updateStatus();
    // Online: the server's word (a booking cancelled since the list was made) replaces ours.
    const answer = (await sync()).get(clientId);
    if (answer?.status === 'refused') show('refused', say('notValid'), answer.name, answer.message);
    else if (answer?.status === 'already') show('already', say('already', { time: time.format(Date.parse(answer.checkedInAt)) }), answer.name, null);
  }

  // ---- the camera ------------------------------------------------------------------------------------

  const camera = root.querySelector('.scanner-camera');
  const toggle = root.querySelector('#scanner-camera-toggle');
  const video = root.querySelector('#scanner-video');
  let stream = null;
  let detector = null;
  let lastText = '';
  let lastAt = 0;

  async function loadJsQR() {
    if (window.jsQR) return window.jsQR;
    await new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = d.jsqrUrl;
      s.onload = resolve;
      s.onerror = reject;
      document.head.append(s);
    });
    return window.jsQR;
  }

  /** Reads a QR code from a video frame or an image: BarcodeDetector where the browser has it, else jsQR. */
  async function decodeFrame(source, width, height) {
    if ('BarcodeDetector' in window) {
      detector ??= new window.BarcodeDetector({ formats: ['qr_code'] });
      const found = await detector.detect(source);
      return found[0]?.rawValue ?? null;
    }
    const jsQR = await loadJsQR();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d', { willReadFrequently: true });
    g.drawImage(source, 0, 0, width, height);
    const image = g.getImageData(0, 0, width, height);
    return jsQR(image.data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  }

  async function onDecoded(text) {
    // The same pass held in front of the camera is read many times a second: once is enough.
    if (!text || (text === lastText && Date.now() - lastAt < 3000)) return;
    lastText = text;
    lastAt = Date.now();
    await handleCode(text, 'camera');
  }

  async function scanLoop() {
    if (!stream) return;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      const text = await decodeFrame(video, video.videoWidth, video.videoHeight).catch(() => null);
      if (text) await onDecoded(text);
    }
    setTimeout(scanLoop, 250);
  }

  async function startCamera() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (err) {
      setStatus(say(err?.name === 'NotAllowedError' ? 'cameraDenied' : 'cameraNone'));
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play().catch(() => {});
    toggle.textContent = say('cameraStop');
    void scanLoop();
  }

  function stopCamera() {
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = null;
    video.hidden = true;
    toggle.textContent = say('cameraStart');
  }

  if (camera && navigator.mediaDevices?.getUserMedia) {
    camera.hidden = false;
    video.hidden = true;
    toggle.addEventListener('click', () => (stream ? stopCamera() : startCamera()));
  }

  // ---- the typed code and the network ----------------------------------------------------------------

  form?.addEventListener('submit', (event) => {
    if (!pack) return; // nothing on this device yet: the server checks it
    event.preventDefault();
    const text = field.value;
    void handleCode(text, 'typed').then(() => {
      // The form stays usable for the next pass (guichet.js marks a sent form as sent).
      delete form.dataset.submitted;
      for (const b of form.querySelectorAll('[aria-disabled]')) b.removeAttribute('aria-disabled');
      field.value = '';
      field.focus();
    });
  });
  window.addEventListener('online', () => void loadPack().then(sync));
  window.addEventListener('offline', () => void updateStatus());

  // Arrivals already sent and older than three days are of no more use on this device.
  if (db) {
    const old = Date.now() - 3 * 24 * 3_600_000;
    for (const c of await allCheckins()) if (c.synced && Date.parse(c.scannedAt) < old) await idb(db, 'checkins', 'readwrite', (s) => s.delete(c.clientId));
  }
  await loadPack();
  await updateCount();
  await updateStatus();
  if (navigator.onLine) await sync();

  // For the browser tests: a picture of a pass goes through the very decoding path the camera uses.
  window.guichetScanner = {
    async decodeImage(url) {
      const img = new Image();
      img.src = url;
      await img.decode();
      const size = Math.max(img.naturalWidth, 300);
      await onDecoded(await decodeFrame(img, size, size));
    },
    ready: true,
  };
  root.dataset.ready = 'true';
}

const root = document.querySelector('[data-module~="scanner"]');
if (root) void start(root);
