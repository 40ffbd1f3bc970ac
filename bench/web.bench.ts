/**
 * The web page's speed in Debian's chromium against `podlab serve` on loopback: first
 * contentful paint and time until a lab page shows its instructions (goal: under 1 s).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../test/storage/servers.ts';
import { ms, quantile, table } from './stats.ts';

const CHROMIUM = '/usr/bin/chromium';

/** Prints first paint and lab-page readiness figures. */
export async function bench(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log('skipped: /usr/bin/chromium is not installed (apt-get install chromium)');
    return;
  }
  const data = mkdtempSync(join(tmpdir(), 'podlab-web-bench-'));
  const out = execFileSync(
    'node',
    [
      'bin/podlab.mjs',
      'token',
      'create',
      '--role',
      'student',
      '--user',
      'bench',
      '--course',
      'demo',
      '--data',
      data,
    ],
    { encoding: 'utf8' },
  );
  const token = /plb_[A-Za-z0-9_-]+/.exec(out)?.[0] ?? '';
  const port = await freePort();
  const server = spawn('node', ['bin/podlab.mjs', 'serve', '--port', String(port), '--data', data], {
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const fcp: number[] = [];
  const ready: number[] = [];
  try {
    for (let i = 0; i < 12; i++) {
      const context = await browser.newContext();
      await context.addInitScript((t) => sessionStorage.setItem('podlab.token', t), token);
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${base}/#/labs/liveness-exec`);
      await page.getByRole('heading', { name: 'Instructions' }).waitFor();
      const labReady = Date.now() - t0;
      const paint = await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
      );
      await context.close();
      if (i < 2) continue; // warm-up
      fcp.push(paint);
      ready.push(labReady);
    }
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(data, { recursive: true, force: true });
  }
  fcp.sort((a, b) => a - b);
  ready.sort((a, b) => a - b);
  table(
    ['measure (10 loads, fresh browser context each)', 'median', 'p90', 'max'],
    [
      ['first contentful paint', ms(quantile(fcp, 0.5)), ms(quantile(fcp, 0.9)), ms(fcp.at(-1)!)],
      [
        'lab page with instructions shown',
        ms(quantile(ready, 0.5)),
        ms(quantile(ready, 0.9)),
        ms(ready.at(-1)!),
      ],
    ],
  );
}
