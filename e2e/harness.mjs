// Starts the real brug binary on a fresh SQLite database with demo data and
// drives Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));
export const PASSWORD = 'demo-brug-2026';

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

export async function startServer(extraEnv = {}) {
  const bin = process.env.BRUG_BIN ?? resolve(here, '..', 'bin', 'brug');
  const dir = mkdtempSync(join(tmpdir(), 'brug-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, ['serve'], {
    env: {
      ...process.env,
      BRUG_ADDR: `127.0.0.1:${port}`,
      BRUG_DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
      BRUG_DATA_DIR: dir,
      BRUG_DEMO: 'true',
      BRUG_ENV: 'development',
      BRUG_BASE_URL: base,
      BRUG_LOG_LEVEL: 'warn',
      // Every browser test posts the contact form from 127.0.0.1.
      BRUG_CONTACT_PER_HOUR: '200',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`brug exited (${proc.exitCode}): ${stderr}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`brug not ready after 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A phone-sized page that records console errors, page errors and CSP violations. */
export async function phonePage(browser) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'nl-BE' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A wrong password or an ended session answers 401, which Chromium logs
    // (the signed-out start-up no longer asks: see the shell test).
    if (/Failed to load resource: .*401/.test(m.text())) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return { context, page, problems };
}

export async function signIn(page, email, password = PASSWORD) {
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.locator('form button[type=submit]').click();
}

/** Opens a section of the client page (components/Section.svelte) unless it
 * is open: on a phone most start closed. */
export async function openSection(page, name) {
  const toggle = page.locator(`[data-section=${name}] .section-toggle`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator(`#${name}-body`).waitFor();
}

/** Fails on any serious or critical axe-core violation. */
export async function axe(page, where) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe on ${where}`);
}

/** Fails when the page scrolls sideways on a 360 px phone. */
export async function noHorizontalScroll(page, where = 'page') {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= 360, `${where} is ${w}px wide at a 360px viewport`);
}

/** The browser tests' output folder (screenshots): e2e/output, or BRUG_E2E_OUTPUT; git-ignored. */
export function outputDir() {
  const dir = process.env.BRUG_E2E_OUTPUT ?? resolve(here, 'output');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Starts the server and the browser for a test file, and stops both after it. */
export function suite(before, after) {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
