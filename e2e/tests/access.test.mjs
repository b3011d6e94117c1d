// Who may see what: an admin creates an account without a password; the
// invitation e-mail (through a fake SMTP server) carries a single-use link
// on which the person chooses it; the team's coordinator is told; the
// access register page lists roles and accounts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { axe, launch, noHorizontalScroll, phonePage, signIn, startServer } from '../harness.mjs';

let server, browser, smtp;
const mails = [];

// A minimal SMTP server: enough of RFC 5321 for one client, no TLS, no auth.
function fakeSMTP() {
  return createServer((sock) => {
    let buf = '';
    let data = false;
    let msg = { to: [], body: '' };
    const say = (l) => sock.write(l + '\r\n');
    say('220 fake ESMTP');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (data) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          msg.body = buf.slice(0, end);
          buf = buf.slice(end + 5);
          data = false;
          mails.push(msg);
          msg = { to: [], body: '' };
          say('250 ok');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') say('250-fake\r\n250 8BITMIME');
        else if (cmd === 'RCPT') { msg.to.push(line); say('250 ok'); }
        else if (cmd === 'DATA') { data = true; say('354 go on'); }
        else if (cmd === 'QUIT') { say('221 bye'); sock.end(); }
        else say('250 ok');
      }
    });
    sock.on('error', () => {});
  });
}

/** The text of a message with quoted-printable soft breaks and escapes undone. */
function decoded(body) {
  return body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}

async function mailTo(address) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const m = mails.find((x) => x.to.some((t) => t.includes(address)));
    if (m) return decoded(m.body);
    if (Date.now() > deadline) throw new Error(`no e-mail to ${address}; got ${mails.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

before(async () => {
  smtp = fakeSMTP();
  await new Promise((ok) => smtp.listen(0, '127.0.0.1', ok));
  server = await startServer({
    BRUG_SMTP_URL: `smtp://127.0.0.1:${smtp.address().port}?from=brug@example.org`,
    BRUG_QUIET_HOURS: 'off',
    BRUG_REMINDER_POLL: '200ms',
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  smtp?.close();
});

async function signInAs(email, lang, password) {
  const ctx = await phonePage(browser);
  await ctx.page.goto(server.base + '/login');
  await ctx.page.getByLabel('Taal').selectOption(lang);
  await signIn(ctx.page, email, password);
  await ctx.page.getByTestId('user-name').waitFor();
  return ctx;
}

describe('accounts and the access register', () => {
  let link;

  it('an admin creates an account without a password; the person gets an invitation in their language', async () => {
    const ctx = await signInAs('admin@example.org', 'nl');
    const { page } = ctx;
    await page.getByRole('heading', { name: 'Gebruikers', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Nieuwe gebruiker' }).click();
    await page.locator('#nu-name').fill('Nora Nieuw');
    await page.locator('#nu-email').fill('nora.nieuw@example.org');
    await page.locator('#nu-language').selectOption('fr');
    await page.getByLabel('Liège').check();
    await page.getByTestId('client-access-warning').waitFor();
    assert.equal(await page.locator('input[type=password]').count(), 0);
    await axe(page, 'new user form');
    await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
    await page.getByText('Het account van Nora Nieuw is aangemaakt. Een uitnodiging om een wachtwoord te kiezen is verstuurd naar nora.nieuw@example.org').waitFor();
    await ctx.context.close();

    const mail = await mailTo('nora.nieuw@example.org');
    assert.match(mail, /Votre compte Brug/);
    link = mail.match(/https?:\/\/[^\s"<]+\/invite\/[A-Za-z0-9_-]+/)?.[0];
    assert.ok(link, `no invitation link in: ${mail.slice(0, 400)}`);
  });

  it('the person chooses a password once from the link (360 px)', async () => {
    const ctx = await phonePage(browser);
    const { page } = ctx;
    await page.goto(link);
    await page.getByRole('heading', { name: 'Kies je wachtwoord', level: 1 }).waitFor();
    await page.getByLabel('Nieuw wachtwoord').fill('kort');
    await page.getByLabel('Nogmaals hetzelfde wachtwoord').fill('kort');
    await page.getByRole('button', { name: 'Mijn wachtwoord instellen' }).click();
    await page.getByText('Het wachtwoord heeft minstens 12 tekens nodig.').waitFor();
    // A password with her own name in it is refused, and she is told why.
    await page.getByLabel('Nieuw wachtwoord').fill('nora kiest zelf een zin');
    await page.getByLabel('Nogmaals hetzelfde wachtwoord').fill('nora kiest zelf een zin');
    await page.getByRole('button', { name: 'Mijn wachtwoord instellen' }).click();
    await page.getByText('Het wachtwoord mag je e-mailadres of naam niet bevatten.').waitFor();
    await page.getByLabel('Nieuw wachtwoord').fill('groene fiets onder de linde');
    await page.getByLabel('Nogmaals hetzelfde wachtwoord').fill('groene fiets onder de linde');
    await noHorizontalScroll(page, 'set password');
    await axe(page, 'set password');
    await page.getByRole('button', { name: 'Mijn wachtwoord instellen' }).click();
    await page.getByText('Je wachtwoord is ingesteld. Je kan nu aanmelden.').waitFor();
    await page.getByRole('link', { name: 'Aanmelden' }).click();
    await signIn(page, 'nora.nieuw@example.org', 'groene fiets onder de linde');
    await page.getByTestId('user-name').waitFor();
    assert.equal(await page.getByTestId('user-name').innerText(), 'Nora Nieuw');

    await page.goto(link);
    await page.getByLabel('Nieuw wachtwoord').fill('iemand anders probeert');
    await page.getByLabel('Nogmaals hetzelfde wachtwoord').fill('iemand anders probeert');
    await page.getByRole('button', { name: 'Mijn wachtwoord instellen' }).click();
    await page.getByText('Deze link is al gebruikt, vervangen door een nieuwere, of verlopen.', { exact: false }).waitFor();
    // 422 is the refused personal password, 410 the used link: both expected.
    assert.deepEqual(ctx.problems.filter((p) => !/status of (410|422)/.test(p)), []);
    await ctx.context.close();
  });

  it("the team's coordinator is told who got access to its client records (German)", async () => {
    const ctx = await signInAs('coordinator.liege@example.org', 'de');
    const { page } = ctx;
    const notices = page.getByTestId('notices');
    await notices.getByText('Nora Nieuw (nora.nieuw@example.org) kann jetzt die Klientenakten von Liège lesen', { exact: false }).waitFor();
    await axe(page, 'team board with notice');
    await notices.getByRole('button', { name: 'Gesehen' }).click();
    await notices.waitFor({ state: 'detached' });
    assert.deepEqual(ctx.problems, []);
    await ctx.context.close();
  });

  it('the admin reads who may see what (French)', async () => {
    const ctx = await signInAs('admin@example.org', 'fr');
    const { page } = ctx;
    await page.getByRole('link', { name: 'Registre des accès' }).click();
    await page.getByRole('heading', { name: 'Qui peut voir quoi', level: 1 }).waitFor();
    const chw = page.getByTestId('register-role-chw');
    await chw.getByText('Lit les dossiers des clients').waitFor();
    await chw.getByText("Un dossier client hors du périmètre habituel (accès d'urgence)", { exact: false }).waitFor();
    await page.getByTestId('register-role-admin').getByText('Aucun dossier client').waitFor();
    await page.getByTestId('register-team').filter({ hasText: 'Liège' }).getByText('Nora Nieuw', { exact: false }).waitFor();
    await page.getByTestId('register-emergency').getByText('Aucun pour le moment.').waitFor();
    await noHorizontalScroll(page, 'access register');
    await axe(page, 'access register');
    assert.deepEqual(ctx.problems, []);
    await ctx.context.close();
  });
});
