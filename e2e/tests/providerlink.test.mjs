// Provider links: a CHW e-mails the link from the referral (a new link
// revokes the earlier one); the provider acknowledges, then accepts through
// the same link; every dead link says what really happened, in the page's language.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, openSection, PASSWORD, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

async function call(method, path, token, body) {
  const r = await fetch(env.server.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

describe('provider link', () => {
  it('is e-mailed from the referral, survives an acknowledgement, and explains itself once dead', async () => {
    const login = async (email) => (await call('POST', '/api/v1/auth/login', null, { email, password: PASSWORD })).access_token;
    const coord = await login('coordinator.gent@example.org');
    const chw = await login('chw.gent1@example.org');
    const provider = await call('POST', '/api/v1/providers', coord, {
      name: 'Cabinet Linktest', type: 'gp', email: 'accueil@linktest.example.be', languages: ['fr', 'ar'],
    });
    const client = await call('POST', '/api/v1/clients', chw, { given_name: 'Linktest', family_name: 'Client', confirm_duplicate: true });
    await call('POST', `/api/v1/clients/${client.id}/consents`, chw, { purpose: 'provider_sharing' });
    await call('POST', '/api/v1/referrals', chw, { client_id: client.id, provider_id: provider.id, reason: 'Linktest back pain', send: true });

    let firstURL, mailedURL;
    const staff = await phonePage(env.browser);
    try {
      await staff.page.goto(env.server.base + '/login');
      await staff.page.getByLabel('Taal').selectOption('en');
      await signIn(staff.page, 'chw.gent1@example.org');
      await staff.page.getByTestId('user-name').waitFor();
      await staff.page.goto(`${env.server.base}/clients/${client.id}`);
      await staff.page.getByTestId('client-name').waitFor();
      await openSection(staff.page, 'referrals');
      const referral = staff.page.locator('li.referral', { hasText: 'Linktest back pain' });
      await referral.getByRole('button', { name: 'Link for the provider' }).click();
      firstURL = await referral.getByRole('textbox', { name: 'Link for the provider' }).inputValue();
      await referral.getByRole('button', { name: 'E-mail it to the provider' }).click();
      await staff.page.getByText('Link e-mailed to accueil@linktest.example.be').waitFor();
      mailedURL = await referral.getByRole('textbox', { name: 'Link for the provider' }).inputValue();
      assert.notEqual(mailedURL, firstURL);
      // The ready message is in a language the provider speaks (French), not the CHW's.
      assert.match(await referral.getByRole('textbox', { name: 'Message for the provider' }).inputValue(), /vous oriente une personne/);
      await axe(staff.page, 'referral with an e-mailed link');
      await noHorizontalScroll(staff.page, 'referral with an e-mailed link');
    } finally {
      await staff.context.close();
    }

    // The provider's page is server-rendered: it works with JavaScript off.
    const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'nl-BE', javaScriptEnabled: false });
    const page = await context.newPage();
    const scripts = [];
    page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(r.url()); });
    try {
      // The first link was replaced by the e-mailed one.
      await page.goto(firstURL);
      await page.locator('nav a[hreflang=de]').click();
      await page.getByText('neuerer Link', { exact: false }).waitFor();
      assert.equal(await page.getByText('Linktest back pain').count(), 0, 'a replaced link shows nothing of the referral');

      // Acknowledge, then accept through the same link.
      // A live link opens in the provider's language (French); the switcher changes it.
      await page.goto(mailedURL);
      assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
      await page.locator('nav a[hreflang=en]').click();
      await page.getByText('Linktest back pain').waitFor();
      assert.equal(await page.getByText('Client', { exact: true }).count(), 0, 'no family name');
      await page.getByLabel('Received, we will look at it').check();
      await page.getByRole('button', { name: 'Send the answer' }).click();
      await page.getByText('the community health worker knows you received it', { exact: false }).waitFor();
      await page.getByLabel('We can take this person').check();
      await page.getByRole('button', { name: 'Send the answer' }).click();
      await page.getByText('Thank you. The community health worker sees your answer now.').waitFor();
      assert.deepEqual(scripts, [], 'the provider page loads no script');
    } finally {
      await context.close();
    }

    const prov = await phonePage(env.browser);
    try {
      await prov.page.goto(mailedURL + '?lang=nl');
      await prov.page.getByText('u kunt deze persoon ontvangen', { exact: false }).waitFor();
      await axe(prov.page, 'answered provider link');
      await noHorizontalScroll(prov.page, 'answered provider link');
      assert.deepEqual(prov.problems.filter((p) => !/Failed to load resource: .*410/.test(p)), []);
    } finally {
      await prov.context.close();
    }
  });
});
