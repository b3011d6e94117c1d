import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, openSection, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

describe('referral wizard', () => {
  it('a CHW refers a client, the provider answers through the link, the CHW completes the referral', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    let linkURL;
    let clientURL;
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('en');
      await signIn(page, 'chw.gent1@example.org');
      await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Tasks due' }).waitFor();
      await axe(page, 'today');
      await noHorizontalScroll(page, 'today');

      await page.getByTestId('tabbar').getByRole('link', { name: 'Caseload' }).click();
      await page.locator('.client-link').first().click();
      await page.getByRole('link', { name: 'Refer', exact: true }).click();
      await page.getByRole('heading', { name: 'Refer to care', level: 1 }).waitFor();
      clientURL = page.url().replace(/\/refer$/, '');

      await page.getByLabel('Type of provider').selectOption('dentist');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Provider', level: 2 }).waitFor();
      await page.getByLabel('Takes new patients').uncheck();
      await page.getByRole('button', { name: 'Search' }).click();
      await page.locator('.provider-choice').first().waitFor();
      await axe(page, 'wizard provider step');
      await noHorizontalScroll(page, 'wizard');
      await page.locator('.provider-choice input').first().check();
      await page.getByRole('button', { name: 'Next' }).click();
      // The reason is required, and the error shows next to the field.
      await page.getByRole('button', { name: 'Send the referral' }).click();
      await page.locator('#wz-reason-error').waitFor();
      await page.getByLabel('Reason').fill('Toothache for three weeks');
      await page.getByText('soon', { exact: true }).click();
      await page.getByRole('button', { name: 'Send the referral' }).click();
      await page.getByRole('heading', { name: 'Referral sent' }).waitFor();
      await page.getByRole('button', { name: 'Link for the provider' }).click();
      linkURL = await page.getByLabel('Link for the provider').inputValue();
      assert.match(linkURL, /\/provider\/[A-Za-z0-9_-]{20,}$/);
    } finally {
      await context.close();
    }

    // The provider, without an account.
    const prov = await phonePage(env.browser);
    try {
      await prov.page.goto(linkURL);
      await prov.page.getByRole('heading', { name: /referral for you|doorverwijzing voor u/i }).waitFor();
      await prov.page.locator('nav a[hreflang=fr]').click();
      await prov.page.getByText('Toothache for three weeks').waitFor();
      await axe(prov.page, 'provider link');
      await prov.page.getByLabel('Nous pouvons accueillir cette personne').check();
      await prov.page.getByLabel('Date').fill('2030-03-12');
      await prov.page.getByLabel('Heure').fill('09:30');
      await prov.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
      await prov.page.getByText('Merci.', { exact: false }).waitFor();
      // The answer spent the link, and the page says what was answered.
      await prov.page.goto(linkURL + '?lang=fr');
      await prov.page.getByText('vous pouvez accueillir cette personne', { exact: false }).waitFor();
      assert.deepEqual(prov.problems.filter((p) => !/Failed to load resource: .*(410|401)/.test(p)), []);
    } finally {
      await prov.context.close();
    }

    // Back to the CHW: the referral has an appointment; it is completed with an outcome.
    const again = await phonePage(env.browser);
    try {
      await again.page.goto(env.server.base + '/login');
      await again.page.getByLabel('Taal').selectOption('en');
      await signIn(again.page, 'chw.gent1@example.org');
      await again.page.getByTestId('user-name').waitFor();
      await again.page.goto(clientURL);
      await again.page.getByTestId('client-name').waitFor();
      await openSection(again.page, 'referrals');
      await openSection(again.page, 'appointments');
      const referral = again.page.locator('li.referral', { hasText: 'Toothache for three weeks' });
      await referral.getByText('appointment made').waitFor();
      await again.page.locator('.appointment', { hasText: '2030' }).first().waitFor();
      await referral.getByRole('button', { name: 'Complete' }).click();
      await referral.getByLabel('Outcome').selectOption('treatment_started');
      await referral.getByRole('button', { name: 'Complete' }).click();
      await again.page.locator('li.referral', { hasText: 'Toothache for three weeks' }).getByText('completed').waitFor();
      await again.page.locator('.timeline').getByText('Referral (Dentist): completed').waitFor();
      await axe(again.page, 'client page with referrals');
      assert.deepEqual(again.problems.filter((p) => !/Failed to load resource: .*422/.test(p)), []);
    } finally {
      await again.context.close();
    }
  });

  it('a coordinator imports the example provider list; a CHW finds it by language', async () => {
    const coord = await phonePage(env.browser);
    try {
      await coord.page.goto(env.server.base + '/login');
      await coord.page.getByLabel('Taal').selectOption('en');
      await signIn(coord.page, 'coordinator.gent@example.org');
      await coord.page.getByRole('navigation').getByRole('link', { name: 'Providers' }).click();
      await coord.page.getByRole('heading', { name: 'Providers', level: 1 }).waitFor();
      await coord.page.getByLabel('CSV file').setInputFiles(fileURLToPath(new URL('../../api/examples/providers.csv', import.meta.url)));
      await coord.page.getByRole('button', { name: 'Import', exact: true }).click();
      await coord.page.getByText('4 providers imported.').waitFor();
      await axe(coord.page, 'providers page');
      await noHorizontalScroll(coord.page, 'providers');
    } finally {
      await coord.context.close();
    }
    const chw = await phonePage(env.browser);
    try {
      await chw.page.goto(env.server.base + '/login');
      await chw.page.getByLabel('Taal').selectOption('en');
      await signIn(chw.page, 'chw.gent1@example.org');
      await chw.page.getByRole('navigation').getByRole('link', { name: 'Providers' }).click();
      await chw.page.getByLabel('Language spoken').fill('tr');
      await chw.page.getByRole('button', { name: 'Search' }).click();
      await chw.page.getByRole('heading', { name: 'Wijkgezondheidscentrum De Kaai' }).waitFor();
      // The search narrows the list: the GP (no Turkish) goes.
      await chw.page.getByRole('heading', { name: 'Huisartsenpraktijk Sleepstraat' }).waitFor({ state: 'detached' });
      assert.equal(await chw.page.getByRole('heading', { name: 'Add a provider' }).count(), 0, 'a CHW does not manage the directory');
      // Third-party payment narrows the list (the API reads the filter, issue 13); the type
      // filter's empty choice is about types, not people.
      assert.equal((await chw.page.getByLabel('Type of provider').locator('option').first().textContent()).trim(), 'Any type');
      await chw.page.getByLabel('Language spoken').fill('');
      await chw.page.getByLabel('Third-party payment').check();
      await chw.page.getByRole('button', { name: 'Search' }).click();
      await chw.page.getByRole('heading', { name: 'Huisartsenpraktijk Sleepstraat' }).waitFor();
      await chw.page.getByRole('heading', { name: 'Wijkgezondheidscentrum De Kaai' }).waitFor();
      assert.equal(await chw.page.getByRole('heading', { name: 'Tandartsenpraktijk Dampoort' }).count(), 0, 'a provider without third-party payment is listed');
    } finally {
      await chw.context.close();
    }
  });
});
