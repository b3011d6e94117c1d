import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, openSection, phonePage, signIn, suite } from '../harness.mjs';

const env = suite(before, after);

// Yesterday in Brussels, as a date input wants it.
function yesterday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date(Date.now() - 24 * 3600 * 1000));
}

describe('group sessions', () => {
  it('a CHW in Liège records a session in French on a phone and turns a participant into a client', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await page.getByLabel('Taal').selectOption('fr');
      await signIn(page, 'chw.liege1@example.org');
      await page.getByTestId('user-name').waitFor();

      await page.getByRole('navigation').getByRole('link', { name: 'Séances collectives' }).click();
      await page.getByRole('heading', { name: 'Séances collectives', level: 1 }).waitFor();
      await page.getByTestId('group-session').nth(3).waitFor(); // the demo sessions are listed
      // The main action is above the fold on a 360 × 740 phone.
      const record = page.getByRole('button', { name: 'Enregistrer une séance' });
      const box = await record.boundingBox();
      assert.ok(box && box.y + box.height <= 740, `record button at ${JSON.stringify(box)}`);
      await noHorizontalScroll(page, 'group sessions');
      await axe(page, 'group sessions');

      await record.click();
      await page.getByLabel('Titre').fill('Séance test mutualité');
      await page.getByLabel('Date').fill(yesterday());
      await page.getByLabel('Heure de début').fill('10:00');
      await page.getByLabel('Durée (minutes)').fill('60');
      await page.getByLabel('Organisation partenaire').fill('CPAS de Liège');
      await page.getByLabel('Lieu précis').fill('Antenne Sainte-Marguerite');
      await page.getByLabel('Mutualité', { exact: true }).check();
      await page.getByLabel('arabe', { exact: true }).check();
      await page.getByLabel('Avec interprète').check();
      await page.getByLabel('Participants (nombre)').fill('8');
      await page.getByLabel('18-29 ans').fill('3');
      await page.getByLabel('30-49 ans').fill('4');
      await noHorizontalScroll(page, 'session form');
      await axe(page, 'session form');
      // The age groups do not add up: the server names the field, nothing is saved.
      await page.getByRole('button', { name: 'Enregistrer la séance' }).click();
      await page.locator('#gs-participants_by_age-error').waitFor();
      await page.getByLabel('30-49 ans').fill('5');
      await page.getByRole('button', { name: 'Enregistrer la séance' }).click();
      await page.getByRole('status').getByText('La séance est enregistrée.').waitFor();

      const card = page.getByTestId('group-session').filter({ hasText: 'Séance test mutualité' });
      await card.getByText('8 participants').waitFor();
      await card.getByRole('link', { name: 'Un participant veut un suivi individuel' }).click();
      await page.getByRole('heading', { name: "Nouveau client issu d'une séance collective", level: 1 }).waitFor();
      await page.getByText(/Séance test mutualité/).waitFor();
      await page.getByLabel('Prénom').fill('Samira');
      await page.getByLabel('Nom', { exact: true }).fill('Participante');
      await axe(page, 'participant form');
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.getByRole('heading', { name: 'Samira Participante', level: 1 }).waitFor();
      // Where the client came from sits in the details, closed on a phone until opened.
      await openSection(page, 'details');
      assert.match(await page.locator('#details-body').innerText(), /Séance collective/);
      await noHorizontalScroll(page, 'client page');
      assert.deepEqual(problems.filter((p) => !/Failed to load resource: .*422/.test(p)), []);
    } finally {
      await context.close();
    }
  });
});
