/**
 * The web page in a real browser: Debian's chromium driven by playwright-core against
 * `podlab serve` started by the test on loopback. Screenshots go to test-results/web/.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../graders/index.ts';
import { freePort } from '../storage/servers.ts';

const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);
const shots = join('test-results', 'web');
let server: ChildProcess;
let browser: Browser;
let base: string;
let dataDir: string;
const tokens: Record<string, string> = {};

async function token(role: string, user: string): Promise<string> {
  const { stdout } = await run('node', [
    'bin/podlab.mjs',
    'token',
    'create',
    '--role',
    role,
    '--user',
    user,
    '--course',
    'demo',
    '--data',
    dataDir,
  ]);
  const t = /plb_[A-Za-z0-9_-]+/.exec(stdout)?.[0];
  if (!t) throw new Error(`no token printed: ${stdout}`);
  return t;
}

async function signIn(page: Page, t: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel('Token').fill(t);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Labs' }).waitFor();
}

async function submit(page: Page, lab: string, file: string): Promise<void> {
  await page.goto(`${base}/#/labs/${lab}`);
  await page.getByLabel('Your manifests (YAML)').fill(readFileSync(file, 'utf8'));
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByTestId('score').waitFor({ timeout: 20_000 });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'podlab-web-'));
  mkdirSync(shots, { recursive: true });
  tokens.alice = await token('student', 'alice');
  tokens.teacher = await token('instructor', 'teacher');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn('node', ['bin/podlab.mjs', 'serve', '--port', String(port), '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error('podlab serve did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('the web page in chromium', () => {
  it('a student submits a correct answer: full marks, the timeline is drawn, no request leaves podlab', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
        foreign.push(r.url());
    });
    await signIn(page, tokens.alice!);
    await page.getByRole('link', { name: /Liveness probe \(exec\)/ }).click();
    await page.getByRole('heading', { name: 'Instructions' }).waitFor();
    await submit(page, 'liveness-exec', 'scenarios/liveness-exec/solution.yaml');
    const score = await page.getByTestId('score').textContent();
    const [got, max] = (score ?? '').split('/').map((s) => Number(s.trim()));
    expect(got).toBe(max);
    await page.locator('#timeline svg').waitFor({ timeout: 20_000 });
    expect(await page.locator('#timeline svg').getAttribute('role')).toBe('img');
    expect(await page.getByTestId('transcript').textContent()).toContain('livenessprobe-pod');
    await page.screenshot({ path: join(shots, 'student-correct.png'), fullPage: true });
    expect(foreign).toEqual([]);
  });

  // The next chapters (issue 19) through the same page, one lab per chapter (every lab's grade
  // goes through the API in test/api/remote-grader.test.ts): the solution scores full marks with
  // the Pods its controllers made in the transcript, the first mistake less.
  it.each([
    ['config-volume', 'config-volume'],
    ['job-retries', 'retry-job-'],
    ['rolling-update-stalled', 'web-'],
  ])('a student grades the %s lab on the page', async (lab, podName) => {
    // A fresh page per submission, so that each score read is that submission's.
    const marks = async (file: string) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await signIn(page, tokens.alice!);
      await submit(page, lab, file);
      const score = (await page.getByTestId('score').textContent()) ?? '';
      const transcript = (await page.getByTestId('transcript').textContent()) ?? '';
      await page.close();
      const [got, max] = score.split('/').map((x) => Number(x.trim()));
      return { got: got!, max: max!, transcript };
    };
    const solution = await marks(`scenarios/${lab}/solution.yaml`);
    expect(solution.got).toBe(solution.max);
    expect(solution.transcript).toContain(podName);
    const mistake = readdirSync(`scenarios/${lab}/mistakes`).sort()[0]!;
    const wrong = await marks(`scenarios/${lab}/mistakes/${mistake}`);
    expect(wrong.got).toBeLessThan(wrong.max);
  });

  it('a wrong answer shows the failed check with its explanation and hint, nothing of a hidden check', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Everything the page's scripts receive from podlab.
    const received: Promise<string>[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(base)) received.push(r.text().catch(() => ''));
    });
    await signIn(page, tokens.alice!);
    await submit(page, 'liveness-exec', 'scenarios/liveness-exec/mistakes/wrong-file.yaml');
    const failed = page.locator('ul.checks li.failed');
    expect(await failed.count()).toBeGreaterThan(0);
    const text = (await failed.first().textContent()) ?? '';
    expect(text).toMatch(/expected|observed/);
    expect(await page.locator('.hint').count()).toBeGreaterThan(0);
    await page.locator('#timeline svg').waitFor({ timeout: 20_000 });
    const body = (await page.locator('#result').textContent()) ?? '';
    expect(body).toMatch(/2 hidden checks/);
    await page.screenshot({ path: join(shots, 'student-wrong.png'), fullPage: true });
    // liveness-exec's hidden checks: no id, title or hint reaches the page (issue 14).
    const parsed = parseScenario(readFileSync('scenarios/liveness-exec/scenario.yaml', 'utf8'), 'x.yaml');
    if (!parsed.ok) throw new Error('liveness-exec does not parse');
    const secrets = parsed.scenario.checks
      .filter((c) => c.visibility !== 'visible')
      .flatMap((c) => [`"${c.id}"`, `✓ ${c.id}`, `✗ ${c.id}`, c.title, c.hint?.trim()])
      .filter((x): x is string => Boolean(x));
    expect(secrets.length).toBeGreaterThan(3);
    const seen = [body, await page.content(), ...(await Promise.all(received))].join('\n');
    expect(received.length).toBeGreaterThan(3);
    expect(secrets.filter((x) => seen.includes(x))).toEqual([]);
  });

  it('a manifest kubectl rejects shows kubectl’s words and marks the line in the editor', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
    await signIn(page, tokens.alice!);
    await submit(page, 'liveness-exec', 'scenarios/liveness-exec/mistakes/course-original.yaml');
    expect(await page.locator('#result .badge.rejected').count()).toBe(1);
    expect(await page.locator('ul.errors').textContent()).toContain('unknown field');
    expect(await page.locator('#gutter .err').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, 'student-rejected-phone.png'), fullPage: true });
  });

  it('an instructor sees the course, the charts and the submissions', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, tokens.teacher!);
    await page.getByRole('link', { name: 'Instructor' }).click();
    await page.getByRole('link', { name: 'liveness-exec' }).click();
    await page.getByRole('heading', { name: 'Submissions' }).waitFor();
    expect(await page.locator('svg.chart').count()).toBe(2);
    expect(await page.locator('table').first().textContent()).toContain('alice');
    await page.screenshot({ path: join(shots, 'instructor.png'), fullPage: true });
  });

  it('shows hostile text literally and runs none of it: lab and check titles, hint, log line, error messages', async () => {
    // Every place an instructor, a student or a container controls text the page renders.
    const attack = (where: string) => `${where} <img src=x onerror=window.pwned=1>`;
    const scenario = `apiVersion: podlab/v1
kind: Scenario
metadata:
  name: hostile-lab
  title: "${attack('lab title')}"
spec:
  instructions: "${attack('instructions')}"
  submission: {allowedKinds: [Pod]}
  duration: 30s
  checks:
    - id: running
      title: "${attack('check title')}"
      at: 20s
      pod: web
      expect: {status: Running}
      hint: "${attack('hint')}"
`;
    const put = await fetch(`${base}/v1/scenarios/hostile-lab`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.teacher}`, 'content-type': 'text/yaml' },
      body: scenario,
    });
    expect(put.status, await put.text()).toBeLessThan(300);
    // The container prints the attack and exits: the failed check's explanation quotes its last output.
    const crashing = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: busybox:1.32.0
      command: ["sh", "-c", "echo '${attack('log line')}'; exit 1"]
`;
    // kubectl's error quotes the rejected Pod name.
    const badName = `apiVersion: v1
kind: Pod
metadata: {name: "${attack('pod name')}"}
spec: {containers: [{name: web, image: busybox:1.32.0}]}
`;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const fetchedX: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/x')) fetchedX.push(r.url());
    });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const shown: string[] = [];
    const grade = async (yaml: string, status: 'graded' | 'rejected') => {
      await page.getByLabel('Your manifests (YAML)').fill(yaml);
      await page.getByRole('button', { name: 'Submit' }).click();
      await page.locator(`#result .row .badge.${status}`).waitFor({ timeout: 20_000 });
      shown.push((await page.locator('#result').textContent()) ?? '');
    };
    await signIn(page, tokens.alice!);
    await page.goto(`${base}/#/labs/hostile-lab`);
    await page.getByRole('heading', { name: 'Instructions' }).waitFor();
    shown.push((await page.locator('main').textContent()) ?? '');
    await grade(crashing, 'graded');
    await page.locator('#timeline svg').waitFor({ timeout: 20_000 });
    shown.push((await page.locator('#timeline').textContent()) ?? '');
    await grade(badName, 'rejected');
    // An API error message that quotes what the student typed (an unknown lab's name).
    await page.goto(`${base}/#/labs/${encodeURIComponent(attack('lab name'))}`);
    await page.getByRole('alert').waitFor();
    shown.push((await page.getByRole('alert').textContent()) ?? '');
    await page.screenshot({ path: join(shots, 'hostile-text.png'), fullPage: true });

    const all = shown.join('\n');
    const cases = [
      ['lab title', attack('lab title')],
      ['instructions', attack('instructions')],
      ['check title', attack('check title')],
      ['hint', attack('hint')],
      ['log line in the check output', attack('log line')],
      ['pod name in kubectl’s error', `Invalid value: "${attack('pod name')}"`],
      ['API error message', attack('lab name')],
    ];
    for (const [where, text] of cases) expect(all.includes(text!), where).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(await page.locator('main img').count()).toBe(0);
    expect(fetchedX).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('refuses an unknown token on the sign-in form, saying so', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Token').fill(`plb_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token was not accepted.').waitFor();
    expect(await page.getByLabel('Token').isVisible()).toBe(true);
  });

  it('is usable from the keyboard: the skip link and the sign-in form take focus in order', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.getByLabel('Token').focus();
    await page.keyboard.type(tokens.alice!);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Labs' }).waitFor();
  });
});
