// The public page a client opens from an SMS reminder: a real reminder is
// sent through a fake SMS gateway, and its link is followed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { axe, launch, noHorizontalScroll, phonePage, startServer, PASSWORD } from '../harness.mjs';

let server, browser, gateway;
const sms = [];

before(async () => {
  gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      sms.push(JSON.parse(body));
      res.writeHead(202).end();
    });
  });
  await new Promise((ok) => gateway.listen(0, '127.0.0.1', ok));
  server = await startServer({
    BRUG_SMS_URL: `http://127.0.0.1:${gateway.address().port}/send`,
    BRUG_QUIET_HOURS: 'off',
    BRUG_REMINDER_POLL: '200ms',
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  gateway?.close();
});

async function call(method, path, token, body) {
  const r = await fetch(server.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A Brussels wall-clock time some hours ahead, as the appointment form sends it. */
function brusselsLocal(hoursAhead) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + hoursAhead * 3600_000));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

describe('client reply link', () => {
  it('a client confirms an appointment from the link in an SMS reminder', async () => {
    const { access_token: token } = await call('POST', '/api/v1/auth/login', null, { email: 'chw.gent1@example.org', password: PASSWORD });
    const client = await call('POST', '/api/v1/clients', token, {
      given_name: 'Rachida', family_name: 'Sms', phone: '0470 61 62 63', language: 'fr', confirm_duplicate: true,
    });
    await call('POST', `/api/v1/clients/${client.id}/consents`, token, { purpose: 'sms_reminders' });
    await call('POST', '/api/v1/appointments', token, { client_id: client.id, starts_at_local: brusselsLocal(5) });

    const deadline = Date.now() + 15_000;
    while (!sms.some((m) => m.to === '+32470616263') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const msg = sms.find((m) => m.to === '+32470616263');
    assert.ok(msg, 'no SMS reached the gateway');
    const link = msg.body.match(/https?:\/\/\S+\/a\/[A-Za-z0-9_-]+/)?.[0];
    assert.ok(link, `no reply link in: ${msg.body}`);

    const { context, page, problems } = await phonePage(browser);
    try {
      await page.goto(link);
      // The page speaks the client's language, not the browser's.
      await page.getByRole('heading', { level: 1, name: 'Votre rendez-vous' }).waitFor();
      await page.getByRole('button', { name: 'Je viendrai' }).waitFor();
      await axe(page, 'client reply');
      await noHorizontalScroll(page, 'client reply');
      await page.getByRole('button', { name: 'Je viendrai' }).click();
      await page.getByText('Merci, à bientôt.').waitFor();
      await axe(page, 'client reply confirmed');
      const appts = await call('GET', `/api/v1/appointments?client_id=${client.id}`, token);
      assert.equal(appts.items[0].reply, 'confirmed');
      assert.deepEqual(problems, []);
      // No staff app: the page is server-rendered and loads no script.
      assert.equal(await page.locator('script').count(), 0);
    } finally {
      await context.close();
    }

    // The same link with JavaScript off: the client changes the answer.
    const nojs = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'nl-BE', javaScriptEnabled: false });
    try {
      const page = await nojs.newPage();
      await page.goto(link);
      await page.locator('nav a[hreflang=nl]').click();
      await page.getByRole('heading', { level: 1, name: 'Je afspraak' }).waitFor();
      await page.getByRole('button', { name: 'Ik heb een ander moment nodig' }).click();
      await page.getByText('Je gezondheidswerker neemt contact met je op.').waitFor();
      const appts = await call('GET', `/api/v1/appointments?client_id=${client.id}`, token);
      assert.equal(appts.items[0].reply, 'reschedule_requested');
    } finally {
      await nojs.close();
    }
  });
});
