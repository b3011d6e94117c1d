// make bench-web: how fast the staff app's main pages load, as figures, not
// a gate. Starts brug with demo data (like the browser tests), signs in as
// the demo user each page is for, runs Lighthouse 3 times per page on the
// mobile and the desktop preset (simulated throttling, cold cache) and
// prints the median performance score, LCP, TBT, CLS and JavaScript bytes.
//
//   node bench-web.mjs            all pages, 3 runs each
//   BENCH_RUNS=1 node bench-web.mjs today client
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import puppeteer from 'puppeteer-core';
import { PASSWORD, startServer } from './harness.mjs';

const CHW = 'chw.gent1@example.org';
const MANAGER = 'manager@example.org';
const runs = Number(process.env.BENCH_RUNS ?? 3);

// path may be a function of what the demo data holds (the client's id).
const pages = [
  { name: 'today', label: 'Today (CHW)', path: '/today', user: CHW, ready: 'h1' },
  { name: 'caseload', label: 'Caseload (CHW)', path: '/caseload', user: CHW, ready: 'h1' },
  { name: 'client', label: 'Client page (CHW)', path: (ids) => `/clients/${ids.client}`, user: CHW, ready: '[data-testid=client-name]' },
  { name: 'dashboard', label: 'Dashboard (manager)', path: '/dashboard', user: MANAGER, ready: 'h1' },
  { name: 'login', label: 'Sign-in page', path: '/login', user: null, ready: '#email' },
];

async function firstClient(base) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: CHW, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`sign-in for the client id: ${login.status}`);
  const { access_token: token } = await login.json();
  const list = await fetch(`${base}/api/v1/clients?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
  if (!list.ok) throw new Error(`client list: ${list.status}`);
  const { items } = await list.json();
  if (!items?.length) throw new Error('the demo CHW has no client');
  return items[0].id;
}

/** One Lighthouse run in a fresh Chromium: sign in first (the refresh
 * cookie stays), empty the HTTP cache, then measure the page. */
async function measure(base, page, ids, config) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    logLevel: 'silent',
  });
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  try {
    const [tab] = await browser.pages();
    const p = tab ?? (await browser.newPage());
    if (page.user) {
      await p.goto(`${base}/login`, { waitUntil: 'load' });
      await p.waitForSelector('#email');
      await p.type('#email', page.user);
      await p.type('#password', PASSWORD);
      await p.click('form button[type=submit]');
      await p.waitForSelector('[data-testid=user-name]', { timeout: 30_000 });
    }
    await p.goto('about:blank');
    const cdp = await p.createCDPSession();
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
    const path = typeof page.path === 'function' ? page.path(ids) : page.path;
    const result = await lighthouse(base + path, {
      output: 'json', logLevel: 'error', onlyCategories: ['performance'],
      throttlingMethod: 'simulate', disableFullPageScreenshot: true, disableStorageReset: true,
    }, config, p);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`${path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    if (lhr.finalDisplayedUrl && !lhr.finalDisplayedUrl.endsWith(path)) throw new Error(`${path} ended on ${lhr.finalDisplayedUrl} (not signed in?)`);
    const scripts = lhr.audits['resource-summary']?.details?.items?.find((i) => i.resourceType === 'script');
    return {
      score: Math.round(lhr.categories.performance.score * 100),
      lcp: lhr.audits['largest-contentful-paint'].numericValue,
      tbt: lhr.audits['total-blocking-time'].numericValue,
      cls: lhr.audits['cumulative-layout-shift'].numericValue,
      js: scripts?.transferSize ?? 0,
    };
  } finally {
    await browser.disconnect();
    await chrome.kill();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const only = process.argv.slice(2);
  const chosen = only.length ? pages.filter((p) => only.includes(p.name)) : pages;
  if (!chosen.length) throw new Error(`pages: ${pages.map((p) => p.name).join(', ')}`);
  const server = await startServer();
  const rows = [];
  try {
    const ids = { client: await firstClient(server.base) };
    for (const page of chosen) {
      for (const [preset, config] of [['mobile', undefined], ['desktop', desktopConfig]]) {
        const results = [];
        for (let i = 0; i < runs; i++) {
          // A trace Lighthouse could not record (NO_NAVSTART) is run again once.
          const r = await measure(server.base, page, ids, config).catch((err) => {
            console.error(`  ${page.name} ${preset} run ${i + 1}: ${err.message}; running again`);
            return measure(server.base, page, ids, config);
          });
          console.error(`  ${page.name} ${preset} run ${i + 1}: score ${r.score}, LCP ${Math.round(r.lcp)} ms, TBT ${Math.round(r.tbt)} ms, CLS ${r.cls.toFixed(3)}, JS ${(r.js / 1024).toFixed(1)} KiB`);
          results.push(r);
        }
        rows.push({
          page: page.label, preset,
          score: median(results.map((r) => r.score)),
          lcp: median(results.map((r) => r.lcp)),
          tbt: median(results.map((r) => r.tbt)),
          cls: median(results.map((r) => r.cls)),
          js: median(results.map((r) => r.js)),
        });
      }
    }
  } finally {
    await server.stop();
  }
  const head = ['page', 'preset', 'perf', 'LCP ms', 'TBT ms', 'CLS', 'JS KiB'];
  const body = rows.map((r) => [r.page, r.preset, String(r.score), String(Math.round(r.lcp)), String(Math.round(r.tbt)), r.cls.toFixed(3), (r.js / 1024).toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  console.log(`\nLighthouse performance, median of ${runs} (simulated throttling, cold cache)\n`);
  console.log(line(head));
  console.log('|' + widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const b of body) console.log(line(b));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
