// Reminder screens: the warning for an appointment in the past, an SMS
// consent without a phone number, went/missed only once begun, planning a
// missed appointment again, and the outbox showing where a failed reminder
// went (masked) and why it failed — through a fake gateway that refuses it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { axe, launch, noHorizontalScroll, openSection, phonePage, signIn, startServer, PASSWORD } from '../harness.mjs';

let server, browser, gateway;

before(async () => {
  gateway = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(400).end()); // a number the gateway will not take
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

function brusselsLocal(hoursAhead) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(Date.now() + hoursAhead * 3600_000));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

describe('reminder screens', () => {
  it('warns about past appointments and consents without a number; plans a missed one again; shows why a reminder failed', async () => {
    const { access_token: token } = await call('POST', '/api/v1/auth/login', null, { email: 'chw.gent1@example.org', password: PASSWORD });
    const nophone = await call('POST', '/api/v1/clients', token, { given_name: 'Noor', family_name: 'Zondernummer', language: 'nl', confirm_duplicate: true });
    await call('POST', `/api/v1/clients/${nophone.id}/consents`, token, { purpose: 'sms_reminders' });
    await call('POST', '/api/v1/appointments', token, { client_id: nophone.id, starts_at_local: brusselsLocal(30) });
    const missed = await call('POST', '/api/v1/appointments', token, { client_id: nophone.id, starts_at_local: brusselsLocal(-50), location: 'Wijkhuis' });
    await call('PATCH', `/api/v1/appointments/${missed.id}`, token, { status: 'missed' });
    const refused = await call('POST', '/api/v1/clients', token, { given_name: 'Rik', family_name: 'Geweigerd', phone: '0470 44 54 56', language: 'nl', confirm_duplicate: true });
    await call('POST', `/api/v1/clients/${refused.id}/consents`, token, { purpose: 'sms_reminders' });
    await call('POST', '/api/v1/appointments', token, { client_id: refused.id, starts_at_local: brusselsLocal(5) });

    const { context, page, problems } = await phonePage(browser);
    try {
      await page.goto(server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'chw.gent1@example.org');
      await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();

      // The outbox: where the refused SMS went, masked, and why it failed.
      const failed = page.locator('section[aria-labelledby="failed-reminders"]');
      await failed.waitFor({ timeout: 20_000 }).catch(async () => {
        await page.reload(); // the worker may not have tried yet when Today loaded
        await failed.waitFor({ timeout: 15_000 });
      });
      await failed.getByText('To +32 4•• •• •4 56').waitFor();
      await failed.getByText('Refused by the sending service: check the number or address').first().waitFor();
      assert.ok(!(await failed.textContent()).includes('470445456'), 'the whole number is shown');
      await axe(page, 'today with a failed reminder');

      // The client without a number: said on the consent and on the appointment.
      await page.goto(server.base + `/clients/${nophone.id}`);
      await page.getByRole('heading', { name: 'Consent' }).waitFor();
      await openSection(page, 'consents');
      await openSection(page, 'appointments');
      await page.getByText('No phone number: SMS reminders cannot be sent.', { exact: false }).waitFor();
      await page.getByText('No reminder possible: no phone number').waitFor();
      // Ahead of time only cancelling is offered.
      await page.getByText('Went or missed can be recorded once the appointment has started.').waitFor();
      assert.equal(await page.getByRole('button', { name: /^Went:/ }).count(), 0, 'went offered before the start');

      // The missed one is planned again in one step.
      await page.getByRole('button', { name: /^New appointment:/ }).click();
      const again = page.getByRole('form', { name: 'New time for the missed appointment' });
      await again.getByLabel('Date').fill(brusselsLocal(24 * 7).slice(0, 10));
      await again.getByLabel('Time').fill('10:00');
      await again.getByRole('button', { name: 'Plan again' }).click();
      await page.getByText('New appointment planned; the missed one stays in the history.').waitFor();

      // An appointment entered after its time: a warning before saving, and none queued.
      await page.getByRole('button', { name: 'Plan an appointment' }).click();
      const past = brusselsLocal(-3);
      await page.locator('#ap-date').fill(past.slice(0, 10));
      await page.locator('#ap-time').fill(past.slice(11, 16));
      await page.getByText('This time has passed: the appointment is saved as planned, without reminders.', { exact: false }).waitFor();
      await axe(page, 'client page with reminder warnings');
      await noHorizontalScroll(page, 'client page with reminder warnings');
      await page.getByRole('button', { name: 'Save appointment' }).click();
      await page.getByText('In the past: no reminder is sent').waitFor();
      const list = await call('GET', `/api/v1/appointments?client_id=${nophone.id}`, token);
      assert.equal(list.items.filter((a) => a.status === 'planned').length, 3, 'the rescheduled, the future and the past one are planned');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
