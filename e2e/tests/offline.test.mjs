// Offline use (issue 16 part 3): visits logged without a network wait in the
// IndexedDB queue, survive a reload, and reach the server exactly once, also
// when the connection breaks after the server did the work.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, axe, noHorizontalScroll, openSection, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);
const CHW = 'chw.gent1@example.org';

async function token(email) {
  const r = await fetch(`${env.server.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).access_token;
}

/** The client's visits as the server has them. */
async function visits(tok, clientId) {
  const r = await fetch(`${env.server.base}/api/v1/clients/${clientId}/visits`, { headers: { Authorization: `Bearer ${tok}` } });
  assert.equal(r.status, 200);
  return (await r.json()).items;
}

const waiting = (page) => page.getByTestId('sync-state').getAttribute('data-waiting');

async function waitWaiting(page, n) {
  await page.waitForFunction((n) => document.querySelector('[data-testid=sync-state]')?.getAttribute('data-waiting') === String(n) || (n === 0 && !document.querySelector('[data-testid=sync-state]')), n, { timeout: 120_000 });
}

async function logVisit(page, note) {
  await page.locator('#visit-note').fill(note);
  await page.getByRole('button', { name: 'Save visit' }).click();
  // Done when the form has emptied its note (the save finished) and says where the visit is.
  await page.waitForFunction(() => document.querySelector('#visit-note')?.value === '' && !document.querySelector('.visit-form button[type=submit]')?.disabled);
  await page.locator('.visit-form [role=status]', { hasText: 'No network' }).waitFor();
}

describe('offline', () => {
  it('an appointment outcome set offline reaches the server once; a task a colleague changed meanwhile waits for the CHW to compare and choose', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    const unexpected = () => problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_FAILED|Failed to fetch|net::|status of 412/.test(p));
    try {
      const tok = await token(CHW);
      const call = async (method, path, body, headers = {}) => {
        const r = await fetch(env.server.base + path, {
          method,
          headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: r.status, body: await r.json().catch(() => null) };
      };
      const client = (await call('GET', '/api/v1/clients?limit=1')).body.items[0];
      // A dentist appointment that began two hours ago, and a task due today, both the CHW's.
      const appt = await call('POST', '/api/v1/appointments', {
        client_id: client.id, starts_at: new Date(Date.now() - 2 * 3600_000).toISOString(), duration_minutes: 30, location: 'Tandartspraktijk Ledeberg',
      });
      assert.equal(appt.status, 201, JSON.stringify(appt.body));
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
      const task = await call('POST', '/api/v1/tasks', { client_id: client.id, due_on: today, note: 'Ask the dentist for the quote' });
      assert.equal(task.status, 201, JSON.stringify(task.body));

      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, CHW);
      await page.getByTestId('user-name').waitFor();
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 });
      await page.goto(`${env.server.base}/clients/${client.id}`);
      await page.getByTestId('client-name').waitFor();
      await openSection(page, 'appointments');
      await openSection(page, 'tasks');
      const sentHeaders = [];
      page.on('request', (r) => {
        if (r.method() === 'PATCH') sentHeaders.push(`${new URL(r.url()).pathname.split('/')[3]} ${r.headers()['if-match'] ?? '-'} ${r.headers()['idempotency-key']}`);
      });

      await context.setOffline(true);
      await page.locator('#appointments-body li.appointment', { hasText: 'Tandartspraktijk Ledeberg' }).getByRole('button', { name: /^Went: / }).click();
      await page.locator('#appointments-body [role=status]', { hasText: 'No network' }).waitFor();
      await waitWaiting(page, 1);
      await page.locator('#tasks-body li.task', { hasText: 'Ask the dentist for the quote' }).getByRole('button', { name: /^Done: / }).click();
      await waitWaiting(page, 2);
      // Meanwhile, from another device, the task's note is changed (version 1 → 2).
      const changed = await call('PATCH', `/api/v1/tasks/${task.body.id}`, { note: 'The dentist called back: quote accepted' }, { 'If-Match': '"v1"' });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));

      await context.setOffline(false);
      const refused = page.getByTestId('sync-refused');
      await refused.waitFor();
      await waitWaiting(page, 0);
      // The outcome is saved once, as attended; the task edit kept the version it was based on and was not applied.
      const a = await call('GET', `/api/v1/appointments/${appt.body.id}`);
      assert.equal(a.body.status, 'attended');
      assert.equal(a.body.version, 2);
      let tk = await call('GET', `/api/v1/tasks?client_id=${client.id}`);
      assert.equal(tk.body.items.find((x) => x.id === task.body.id)?.done_at ?? null, null);
      assert.match(await refused.innerText(), /Someone else changed this record while your change waited on this phone\./);
      await axe(page, 'client page with an edit that met a newer version');
      await noHorizontalScroll(page, 'client page with an edit that met a newer version');

      // Compare and choose: the dialog shows mine against what is saved; mine goes on the new version.
      await refused.getByRole('button', { name: 'Compare and choose' }).click();
      const dialog = page.getByTestId('stale-dialog');
      await dialog.getByRole('heading', { name: 'Changed meanwhile' }).waitFor();
      await axe(page, 'the change dialog for a queued edit');
      await dialog.getByRole('button', { name: 'Save mine over it' }).click();
      await refused.waitFor({ state: 'detached' });
      await waitWaiting(page, 0);
      tk = await call('GET', `/api/v1/tasks?client_id=${client.id}`);
      // Done now (the edit only said done, so the colleague's note stays).
      assert.equal(tk.body.items.some((x) => x.id === task.body.id), false, 'the task is done (no longer open)');
      const appts = sentHeaders.filter((h) => h.startsWith('appointments '));
      const tasks = sentHeaders.filter((h) => h.startsWith('tasks '));
      // Every try of the outcome carried its version and one key; the task's re-apply a new key and the new version.
      assert.ok(appts.length >= 1 && appts.every((h) => h.startsWith('appointments "v1" ')) && new Set(appts).size === 1, appts.join(' | '));
      assert.ok(tasks.some((h) => h.startsWith('tasks "v1" ')) && tasks.at(-1).startsWith('tasks "v2" '), tasks.join(' | '));
      assert.notEqual(tasks[0].split(' ')[2], tasks.at(-1).split(' ')[2]);
      assert.deepEqual(unexpected(), []);
    } finally {
      await context.close();
    }
  });

  it('visits, a task done and a note made offline survive a reload and sync once; a cut mid-sync doubles nothing', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    // Chromium logs each failed request while offline, and the refusal made up below: those are expected here.
    const unexpected = () => problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|ERR_FAILED|Failed to fetch|net::|status of 409/.test(p));
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, CHW);
      await page.getByTestId('user-name').waitFor();
      // The service worker takes the page over (the app shell is kept).
      await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 30_000 });
      assert.equal(await page.evaluate(() => document.querySelector('link[rel=manifest]')?.getAttribute('href')), '/manifest.webmanifest');

      await page.getByTestId('tabbar').getByRole('link', { name: 'Caseload' }).click();
      await page.locator('.client-link').first().click();
      await page.getByTestId('client-name').waitFor();
      const clientId = new URL(page.url()).pathname.split('/').pop();
      const tok = await token(CHW);
      const before = (await visits(tok, clientId)).length;

      // Offline: three visits go to the queue.
      await context.setOffline(true);
      for (const n of [1, 2, 3]) {
        await logVisit(page, `offline visit ${n}`);
        await waitWaiting(page, n);
      }
      await page.getByTestId('sync-offline').waitFor();

      // A reload without network shows the app (not the browser's error page), the client from IndexedDB, and the queue.
      await page.reload();
      await page.getByTestId('user-name').waitFor();
      await page.getByTestId('client-name').waitFor();
      assert.equal(await waiting(page), '3');
      assert.match(await page.getByTestId('sync-waiting').innerText(), /3 waiting to send/);
      await axe(page, 'client page offline with 3 waiting');
      // Today and the caseload read from IndexedDB too.
      await page.getByRole('navigation').getByRole('link', { name: 'Today' }).click();
      await page.locator('#today-tasks').waitFor();
      await page.getByTestId('tabbar').getByRole('link', { name: 'Caseload' }).click();
      await page.locator('.client-link').first().waitFor();
      await page.goBack();
      await page.goBack();
      await page.getByTestId('client-name').waitFor();

      // Signing out now would lose them: the app asks first (declined here).
      let asked = '';
      page.once('dialog', (d) => {
        asked = d.message();
        void d.dismiss();
      });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForFunction(() => true);
      assert.match(asked, /3 items have not been sent/);
      assert.equal(await page.getByTestId('user-name').isVisible(), true);

      // The network returns: the queue sends itself, exactly three visits are stored.
      await context.setOffline(false);
      await waitWaiting(page, 0);
      await page.getByTestId('sync-sent').waitFor();
      const afterSync = await visits(tok, clientId);
      assert.equal(afterSync.length, before + 3);
      for (const n of [1, 2, 3]) assert.equal(afterSync.filter((v) => v.note === `offline visit ${n}`).length, 1, `visit ${n} once`);

      // The server does the work, then the answer is lost: the app retries with the same key.
      await context.setOffline(true);
      await logVisit(page, 'cut visit 1');
      await logVisit(page, 'cut visit 2');
      await waitWaiting(page, 2);
      const sent = [];
      await page.route('**/api/v1/clients/*/visits', async (route) => {
        const req = route.request();
        if (req.method() !== 'POST') return route.continue();
        const key = req.headers()['idempotency-key'];
        const first = !sent.includes(key);
        sent.push(key);
        if (!first) return route.continue();
        const res = await route.fetch();
        assert.equal(res.status(), 201);
        await route.abort('connectionreset');
      });
      await context.setOffline(false);
      await waitWaiting(page, 0);
      await page.unroute('**/api/v1/clients/*/visits');
      assert.equal(sent.length, 4, `each item tried twice: ${sent.join(', ')}`);
      assert.equal(sent[0], sent[1]);
      assert.equal(sent[2], sent[3]);
      assert.notEqual(sent[0], sent[2]);
      const afterCut = await visits(tok, clientId);
      assert.equal(afterCut.length, before + 5);
      for (const n of [1, 2]) assert.equal(afterCut.filter((v) => v.note === `cut visit ${n}`).length, 1, `cut visit ${n} once`);

      // A refusal stays in the queue with the server's message until the user retries it.
      await context.setOffline(true);
      await logVisit(page, 'refused visit');
      let refusedKey = '';
      await page.route('**/api/v1/clients/*/visits', async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        refusedKey = route.request().headers()['idempotency-key'];
        await route.fulfill({
          status: 409,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'The client was transferred meanwhile.', errors: [] }),
        });
      });
      await context.setOffline(false);
      const refused = page.getByTestId('sync-refused');
      await refused.waitFor();
      assert.match(await refused.innerText(), /The client was transferred meanwhile\./);
      assert.equal(await page.getByTestId('sync-state').getAttribute('data-refused'), '1');
      await axe(page, 'client page with a refused item');
      await noHorizontalScroll(page, 'client page with a refused item');
      await page.unroute('**/api/v1/clients/*/visits');
      let retriedKey = '';
      page.on('request', (r) => {
        if (r.method() === 'POST' && /\/visits$/.test(r.url())) retriedKey = r.headers()['idempotency-key'];
      });
      // The retry's answer, not the item leaving the list, says it is stored.
      const retried = page.waitForResponse((r) => r.request().method() === 'POST' && /\/visits$/.test(r.url()));
      await refused.getByRole('button', { name: 'Try again' }).click();
      assert.equal((await retried).status(), 201);
      await refused.waitFor({ state: 'detached' });
      assert.equal(retriedKey, refusedKey);
      assert.equal((await visits(tok, clientId)).filter((v) => v.note === 'refused visit').length, 1);

      // A note and a task done, offline too.
      const tasks = async (q) => {
        const r = await fetch(`${env.server.base}/api/v1/tasks?${q}`, { headers: { Authorization: `Bearer ${tok}` } });
        assert.equal(r.status, 200);
        return (await r.json()).items;
      };
      const dueBefore = await tasks('due=today');
      assert.ok(dueBefore.length > 0, 'the demo CHW has a task due');
      await page.getByRole('navigation').getByRole('link', { name: 'Today' }).click();
      await page.locator('#today-tasks').waitFor();
      await context.setOffline(true);
      await page.locator('.task button').first().click();
      await page.locator('[role=status]', { hasText: 'No network' }).first().waitFor();
      await waitWaiting(page, 1);
      await page.goBack();
      await page.getByTestId('client-name').waitFor();
      await page.getByLabel('What to remember').fill('Bring the mutuality form');
      await page.getByRole('button', { name: 'Add to my tasks' }).click();
      await waitWaiting(page, 2);
      await context.setOffline(false);
      await waitWaiting(page, 0);
      // The note is due today too: one task fewer besides it.
      assert.equal((await tasks('due=today')).filter((x) => x.note !== 'Bring the mutuality form').length, dueBefore.length - 1);
      assert.equal((await tasks(`client_id=${clientId}`)).filter((x) => x.note === 'Bring the mutuality form').length, 1);

      // 100 queued visits: the time to send them all (printed, not asserted).
      await context.setOffline(true);
      for (let n = 1; n <= 100; n++) {
        await logVisit(page, `bulk visit ${n}`);
        await waitWaiting(page, n);
      }
      const start = Date.now();
      await context.setOffline(false);
      await waitWaiting(page, 0);
      const ms = Date.now() - start;
      console.log(`# sync of 100 queued visits: ${ms} ms (${(ms / 100).toFixed(1)} ms per visit)`);
      const afterBulk = await visits(tok, clientId);
      assert.equal(afterBulk.filter((v) => /^bulk visit /.test(v.note)).length, 100);

      // With the server gone (not just the browser offline), a reload still
      // shows the app shell from the service worker and the client from IndexedDB.
      await env.server.stop();
      await page.reload();
      await page.getByTestId('user-name').waitFor();
      await page.getByTestId('client-name').waitFor();

      // Signing out (nothing waiting, no server) wipes what the phone kept.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.locator('#email').waitFor();
      const left = await page.evaluate(
        () =>
          new Promise((ok, fail) => {
            const req = indexedDB.open('brug-offline');
            req.onerror = () => fail(req.error);
            req.onsuccess = () => {
              const tx = req.result.transaction(['reads', 'queue', 'meta']);
              const counts = {};
              let pending = 3;
              for (const name of ['reads', 'queue', 'meta']) {
                const c = tx.objectStore(name).count();
                c.onsuccess = () => {
                  counts[name] = c.result;
                  if (--pending === 0) ok(counts);
                };
              }
            };
          }),
      );
      assert.deepEqual(left, { reads: 0, queue: 0, meta: 0 });
      const cacheNames = await page.evaluate(() => caches.keys());
      assert.ok(cacheNames.every((n) => n.startsWith('brug-shell-')), `only the app shell is cached: ${cacheNames}`);
      assert.deepEqual(unexpected(), []);
    } finally {
      await context.close();
    }
  });
});
