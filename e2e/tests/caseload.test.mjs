import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, openSection, phonePage, signIn, suite, PASSWORD } from '../harness.mjs';

const env = suite(before, after);


async function signInAs(email) {
  const ctx = await phonePage(env.browser);
  await ctx.page.goto(env.server.base + '/login');
  await ctx.page.getByLabel('Taal').selectOption('en');
  await signIn(ctx.page, email);
  await ctx.page.getByTestId('user-name').waitFor();
  return ctx;
}


describe('caseload', () => {
  let clientURL;

  it('a CHW creates a client, logs a visit with a barrier, and sees it on the timeline', async () => {
    const { context, page, problems } = await signInAs('chw.gent1@example.org');
    try {
      await page.getByTestId('tabbar').getByRole('link', { name: 'Caseload' }).click();
      await page.getByRole('heading', { name: 'My caseload', level: 1 }).waitFor();
      await page.locator('.client-link').nth(5).waitFor(); // the demo caseload is listed
      await noHorizontalScroll(page, 'caseload');
      await axe(page, 'caseload');

      await page.getByRole('link', { name: 'New client' }).click();
      await page.getByRole('heading', { name: 'New client', level: 1 }).waitFor();
      // A bad phone number is named next to its field, and nothing is saved.
      await page.getByLabel('First name').fill('Zora');
      await page.getByLabel('Last name').fill('Testperson');
      await page.getByLabel('Phone').fill('12');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('#cf-phone-error').waitFor();
      assert.equal(await page.getByLabel('Phone').getAttribute('aria-invalid'), 'true');
      await page.getByLabel('Phone').fill('0470 99 88 77');
      await page.getByLabel('Birth year').fill('1991');
      await page.getByLabel('Global medical file held by a GP').check();
      await axe(page, 'new client form');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Zora Testperson', level: 1 }).waitFor();
      clientURL = page.url();
      assert.match(await page.locator('main').innerText(), /\+32470998877/);

      // Log a visit on the phone: mode, minutes, a barrier, one tap to save.
      await page.getByText('Street', { exact: true }).click();
      await page.getByText('45', { exact: true }).click();
      // The missions fold away under their count on the phone.
      await page.getByText('Missions (1)', { exact: true }).click();
      await page.getByLabel('Detect barriers').check();
      await page.getByText('Missions (2)', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Add a barrier' }).click();
      await page.locator('#vb-cat-0').selectOption('financial');
      await page.locator('#vb-detail-0').fill('cannot advance the GP fee');
      await page.getByLabel('Note').fill('Met at the market.');
      await noHorizontalScroll(page, 'client page');
      await page.getByRole('button', { name: 'Save visit' }).click();
      await page.getByText('Visit saved.').waitFor();

      const timeline = page.locator('.timeline');
      await timeline.getByText('Visit (Street), 45 min').waitFor();
      await timeline.getByText(/Barrier found: Cost of care/).waitFor();
      await timeline.getByText('Met at the market.').waitFor();
      // On the phone the sections past the timeline start closed: open the ones used.
      await openSection(page, 'barriers');
      await page.locator('section', { hasText: 'Barriers to care' }).getByText('cannot advance the GP fee').waitFor();

      // Working on the barrier, and a changed phone number, are on the timeline too; the
      // change names the field, not the number.
      await page.locator('section', { hasText: 'Barriers to care' }).getByRole('button', { name: 'Working on it' }).click();
      await timeline.getByText(/Barrier being worked on: Cost of care/).waitFor();
      await openSection(page, 'details');
      await page.getByRole('button', { name: 'Edit details' }).click();
      await page.locator('#cf-phone').fill('0470 99 88 66');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await timeline.getByText('Details changed: phone', { exact: true }).waitFor();
      assert.equal(await timeline.getByText('0470 99 88 66').count(), 0);

      // Consent for SMS reminders.
      await openSection(page, 'consents');
      await page.getByRole('button', { name: /Record consent: Reminders by SMS/ }).click();
      await page.getByRole('button', { name: /Withdraw: Reminders by SMS/ }).waitFor();
      await axe(page, 'client page');
      assert.deepEqual(problems.filter((p) => !/Failed to load resource: .*422/.test(p)), []);
    } finally {
      await context.close();
    }
  });

  it('a coordinator transfers the client and the first CHW can no longer open it', async () => {
    assert.ok(clientURL, 'the previous test created a client');
    const coord = await signInAs('coordinator.gent@example.org');
    try {
      await coord.page.goto(clientURL);
      await coord.page.getByRole('heading', { name: 'Zora Testperson', level: 1 }).waitFor();
      await coord.page.getByLabel('Followed by').selectOption({ label: 'Youssef El Amrani' });
      await coord.page.getByRole('button', { name: 'Assign', exact: true }).click();
      await coord.page.getByText('Now followed by Youssef El Amrani.').waitFor();
      await coord.page.locator('.timeline').getByText('Now followed by Youssef El Amrani').waitFor();
      await coord.page.getByRole('navigation').getByRole('link', { name: 'Team board' }).click();
      await coord.page.getByRole('heading', { name: 'Team board', level: 1 }).waitFor();
      await coord.page.getByRole('heading', { name: /Unassigned clients/ }).waitFor();
      // "No contact in 30 days" lists the clients the API finds without a visit, call or group
      // session, each with its last real contact (issue 13).
      const api = async (path, init) => (await fetch(env.server.base + path, init)).json();
      const { access_token: token } = await api('/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'coordinator.gent@example.org', password: PASSWORD }),
      });
      const auth = { headers: { Authorization: `Bearer ${token}` } };
      const gent = (await api('/api/v1/teams', auth)).items.find((tm) => tm.slug === 'gent');
      const quiet = (await api(`/api/v1/teams/${gent.id}/board`, auth)).without_recent_visit;
      const named = quiet.find((c) => c.given_name && c.family_name && c.last_contact_at);
      assert.ok(named, 'the demo has a Gent client without contact in 30 days');
      await coord.page.getByRole('heading', { name: `Clients without contact in 30 days (${quiet.length})` }).waitFor();
      const row = coord.page.locator('li.card').filter({ has: coord.page.getByRole('link', { name: `${named.given_name} ${named.family_name}`, exact: true }) }).first();
      assert.match(await row.textContent(), /Last contact \S/);
      await noHorizontalScroll(coord.page, 'team board');
      await axe(coord.page, 'team board');
    } finally {
      await coord.context.close();
    }
    const chw = await signInAs('chw.gent1@example.org');
    try {
      await chw.page.goto(clientURL);
      await chw.page.getByRole('heading', { name: 'Client not found', level: 1 }).waitFor();
      assert.equal(await chw.page.getByText('Zora').count(), 0);
    } finally {
      await chw.context.close();
    }
    const chw2 = await signInAs('chw.gent2@example.org');
    try {
      await chw2.page.goto(clientURL);
      await chw2.page.getByRole('heading', { name: 'Zora Testperson', level: 1 }).waitFor();
    } finally {
      await chw2.context.close();
    }
  });
});
