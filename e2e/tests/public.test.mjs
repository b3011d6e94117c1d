import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { axe, noHorizontalScroll, phonePage, signIn, startServer, suite } from '../harness.mjs';

const env = suite(before, after);

const pages = ['/', '/where', '/contact', '/privacy'];
const h1 = {
  nl: ['Gezondheidsbegeleiders: een brug naar zorg', 'Waar we werken', 'Contact', 'Privacy: wat we doen met je gegevens'],
  fr: ['Agents de santé communautaires : un pont vers les soins', 'Où nous travaillons', 'Contact', 'Vie privée : ce que nous faisons de vos données'],
  de: ['Gesundheitslotsen: eine Brücke zur Versorgung', 'Wo wir arbeiten', 'Kontakt', 'Datenschutz: was wir mit Ihren Angaben tun'],
  en: ['Community health workers: a bridge to care', 'Where we work', 'Contact', 'Privacy: what we do with your details'],
};

async function submitViaAPI(body) {
  const r = await fetch(env.server.base + '/api/v1/public/contact', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'want_chw', language: 'nl', consent: true, consent_version: '2026-11', ...body }),
  });
  assert.equal(r.status, 202, await r.clone().text());
  return r.json();
}

describe('public pages', () => {
  it('every public page in four languages passes axe at 360 px', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      for (const [lang, titles] of Object.entries(h1)) {
        for (const [i, p] of pages.entries()) {
          const res = await page.goto(`${env.server.base}/${lang}${p}`);
          assert.equal(res.status(), 200, `/${lang}${p}`);
          assert.equal(await page.locator('html').getAttribute('lang'), lang);
          assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), titles[i]);
          assert.equal(await page.locator('link[rel=alternate][hreflang]').count(), 5, `hreflang links on /${lang}${p}`);
          await axe(page, `/${lang}${p}`);
          await noHorizontalScroll(page, `/${lang}${p}`);
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('pages and the form work without JavaScript', async () => {
    const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    try {
      await page.goto(env.server.base + '/fr/where?q=outremeuse');
      await page.getByText('Outremeuse (Liège) → Équipe Liège').waitFor();
      await page.goto(env.server.base + '/de/contact?kind=question');
      assert.equal(await page.locator('#kind-question').isChecked(), true);
      await page.locator('#name').fill('Ohne Skript');
      await page.locator('#email').fill('ohne.skript@example.org');
      await page.locator('#message').fill('Funktioniert das auch ohne JavaScript?');
      await page.locator('#consent').check();
      await page.getByRole('button', { name: 'Senden' }).click();
      await page.getByRole('heading', { level: 1, name: 'Danke, wir haben Ihre Anfrage erhalten' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('the browser language picks the first page; the switcher keeps the page', async () => {
    const context = await env.browser.newContext({ locale: 'de-DE', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    try {
      await page.goto(env.server.base + '/');
      assert.match(page.url(), /\/de\/$/);
      await page.getByRole('link', { name: 'Wo wir arbeiten' }).first().click();
      await page.getByRole('navigation', { name: 'Sprache' }).getByRole('link', { name: /fr/ }).click();
      assert.match(page.url(), /\/fr\/where$/);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Où nous travaillons');
    } finally {
      await context.close();
    }
  });

  it('where we work: typing filters the teams as you go', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/en/where');
      const visible = page.locator('.team:not([hidden])');
      assert.ok((await visible.count()) >= 9);
      await page.getByLabel('Type your neighbourhood or municipality').fill('outremeuse');
      await page.waitForFunction(() => document.querySelectorAll('.team:not([hidden])').length === 1);
      assert.equal(await visible.locator('h3').innerText(), 'Team Liège');
      assert.equal((await page.locator('#search-status').innerText()).trim(), '1 team(s) found');
      await page.getByLabel('Type your neighbourhood or municipality').press('Enter');
      await page.getByText('Outremeuse (Liège) → Team Liège').waitFor();
      await page.getByRole('link', { name: 'Ask for a CHW in this area' }).click();
      assert.equal(await page.locator('#municipality').inputValue(), 'Outremeuse (Liège)');
      assert.equal(await page.locator('#kind-want_chw').isChecked(), true);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe('contact form', () => {
  it('a request for a CHW, then withdrawing consent with the link', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/en/contact');
      await page.getByLabel('I want the help of a CHW').check();
      await page.getByLabel('Your name').fill('Ana Withdraw');
      await page.getByLabel('Phone number').fill('0470 31 32 33');
      await page.getByLabel('Municipality or neighbourhood').fill('Tienen');
      await page.getByLabel('Your message').fill('I would like help to find a GP.');
      await page.getByLabel(/I have read the privacy text/).check();
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('heading', { level: 1, name: 'Thank you, we received your request' }).waitFor();
      await page.getByText('A coordinator of team Tienen will contact you within 3 working days.').waitFor();
      await axe(page, 'contact confirmation');
      await page.locator('#withdraw-link').click();
      await page.getByRole('button', { name: 'Withdraw my consent' }).click();
      await page.getByText('Your consent has been withdrawn and your details have been deleted.').waitFor();
      await axe(page, 'withdrawal done');
      await page.reload();
      await page.getByText(/You already withdrew your consent on/).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('every refusal is explained in the visitor’s language, and nothing typed runs', async () => {
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/fr/contact');
      await page.getByRole('button', { name: 'Envoyer' }).click();
      const summary = page.locator('#error-summary');
      await summary.waitFor();
      // The summary takes the focus, so keyboard and screen-reader users start there.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary');
      for (const text of ['Remplissez ce champ.', 'Indiquez un numéro de téléphone ou une adresse e-mail.', 'Cochez la case pour accepter le texte sur la vie privée.']) {
        assert.ok((await summary.getByText(text).count()) > 0, `summary lacks ${text}`);
      }
      assert.equal(await page.locator('#name').getAttribute('aria-invalid'), 'true');
      await axe(page, 'contact form with errors');
      await noHorizontalScroll(page, 'contact form with errors');

      // Markup is refused and shown back as text, never run.
      let dialogs = 0;
      page.on('dialog', (d) => { dialogs++; d.dismiss(); });
      await page.locator('#kind-question').check();
      await page.locator('#name').fill('<script>alert(1)</script>');
      await page.locator('#email').fill('pas-une-adresse');
      await page.locator('#message').fill('<img src=x onerror=alert(2)>');
      await page.locator('#consent').check();
      await page.getByRole('button', { name: 'Envoyer' }).click();
      await summary.getByText('Écrivez du texte simple, sans code HTML.').first().waitFor();
      await summary.getByText("Ce n'est pas une adresse valide, par exemple nom@exemple.be.").waitFor();
      assert.equal(await page.locator('#name').inputValue(), '<script>alert(1)</script>');
      assert.equal(await page.locator('#message').inputValue(), '<img src=x onerror=alert(2)>');
      assert.equal(dialogs, 0);

      // The hidden trap field, filled as a bot would.
      await page.locator('#name').fill('Robot');
      await page.locator('#email').fill('robot@example.org');
      await page.locator('#message').fill('Achetez maintenant');
      await page.locator('#website').fill('http://spam.example', { force: true });
      await page.locator('#consent').check();
      await page.getByRole('button', { name: 'Envoyer' }).click();
      await page.locator('#refusal').getByText('Ce formulaire semble rempli automatiquement.', { exact: false }).waitFor();
      assert.equal(await page.locator('#website').inputValue(), '');
      assert.deepEqual(problems.filter((p) => !/422/.test(p)), []);
    } finally {
      await context.close();
    }
  });

  it('can be completed with the keyboard alone', async () => {
    const { context, page } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/nl/contact');
      const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim());
      // From the top of the page to the first choice of the form.
      let presses = 0;
      while ((await active()) !== 'kind-want_chw' && presses++ < 20) await page.keyboard.press('Tab');
      assert.equal(await active(), 'kind-want_chw', 'the first kind of request is reachable with Tab');
      await page.keyboard.press('Space');
      const steps = [
        ['name', 'Kim Toetsenbord'], ['organisation', null], ['phone', '0470 41 42 43'], ['email', null],
        ['municipality', 'Oostende'], ['language', null], ['message', 'Ik wil graag hulp bij het vinden van een tandarts.'],
      ];
      for (const [id, text] of steps) {
        await page.keyboard.press('Tab');
        assert.equal(await active(), id, `Tab reaches ${id}`);
        if (text) await page.keyboard.type(text);
      }
      await page.keyboard.press('Tab');
      assert.equal(await active(), 'consent', 'the hidden trap field is skipped');
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab'); // the privacy text link
      await page.keyboard.press('Tab');
      assert.equal(await active(), 'Versturen');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Bedankt, we hebben je vraag ontvangen' }).waitFor();
      await page.getByText('Een coördinator van team Oostende neemt binnen 3 werkdagen contact met je op.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('too many requests from one address are refused politely', async () => {
    const strict = await startServer({ BRUG_CONTACT_PER_HOUR: '1' });
    const { context, page } = await phonePage(env.browser);
    try {
      for (const expectRefusal of [false, true]) {
        await page.goto(strict.base + '/en/contact');
        await page.locator('#kind-question').check();
        await page.locator('#name').fill('Busy Person');
        await page.locator('#email').fill('busy@example.org');
        await page.locator('#message').fill('Question');
        await page.locator('#consent').check();
        await page.getByRole('button', { name: 'Send' }).click();
        if (expectRefusal) {
          await page.locator('#refusal').getByText(/You have sent many messages in a short time. Please try again in \d+ minutes/).waitFor();
          assert.equal(await page.locator('#name').inputValue(), 'Busy Person', 'what was typed is kept');
        } else {
          await page.getByRole('heading', { level: 1, name: 'Thank you, we received your request' }).waitFor();
        }
      }
    } finally {
      await context.close();
      await strict.stop();
    }
  });
});

describe('triage', () => {
  it('a coordinator turns a request into a client of a CHW, and closes another', async () => {
    await submitViaAPI({ name: 'Triage Persoon', phone: '0470 51 52 53', municipality: 'Gent', message: 'Graag hulp met mijn ziekenfonds.' });
    await submitViaAPI({ kind: 'question', name: 'Vraag Steller', email: 'vraag@example.org', message: 'Werken jullie ook in Aalst?' });
    const { context, page, problems } = await phonePage(env.browser);
    try {
      await page.goto(env.server.base + '/login');
      await signIn(page, 'coordinator.gent@example.org');
      await page.getByTestId('user-name').waitFor();
      // The navigation tells how many requests wait, and that some wait too long.
      await page.locator('#intake-count').waitFor({ state: 'attached' });
      assert.match(await page.locator('#intake-count').textContent(), /^\d+ open aanvragen, [1-9]\d* wachten al 3 werkdagen of langer$/);
      await page.getByRole('navigation').getByRole('link', { name: 'Aanmeldingen' }).click();
      const card = page.getByTestId('contact-request').filter({ hasText: 'Triage Persoon' });
      await card.waitFor();
      // The demo request waiting more than 3 working days is flagged, and listed first.
      const late = page.getByTestId('contact-request').first();
      await late.getByText('Piotr Nowak').waitFor();
      await late.getByText('Wacht al 3 werkdagen of langer').waitFor();
      await axe(page, 'intake queue');
      await noHorizontalScroll(page, 'intake queue');
      await card.getByLabel('Cliënt maken van').selectOption({ label: 'Youssef El Amrani' });
      await card.getByRole('button', { name: 'Cliënt aanmaken' }).click();
      await page.getByText('Triage Persoon is nu een cliënt van Youssef El Amrani.').waitFor();

      const question = page.getByTestId('contact-request').filter({ hasText: 'Vraag Steller' });
      await question.locator('summary').click();
      // The empty choice of a select names what is chosen, not "a health worker" (issue 13).
      assert.equal((await question.getByLabel('Reden').locator('option').first().textContent()).trim(), 'Kies een reden');
      await question.getByLabel('Reden').selectOption('answered');
      await question.getByRole('button', { name: 'Aanvraag afsluiten' }).click();
      await page.getByText('Aanvraag afgesloten.').waitFor();

      await page.getByRole('button', { name: 'Behandeld' }).click();
      const done = page.getByTestId('contact-request').filter({ hasText: 'Triage Persoon' });
      await done.getByText('Werd cliënt').waitFor();
      await axe(page, 'intake handled');
      await done.getByRole('link', { name: 'Cliëntdossier openen' }).click();
      await page.getByRole('heading', { level: 1, name: /Triage Persoon/ }).waitFor();
      // The first-contact task is rendered from its kind and parameters in the reader's language.
      await page.getByText('Via het contactformulier: Graag hulp met mijn ziekenfonds.').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
