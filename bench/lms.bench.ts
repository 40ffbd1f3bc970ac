/**
 * LMS figures: webhook deliveries per second to a real receiver on loopback (signed, through
 * the store-backed queue on dynalite), and the time from a student's submission to the LMS
 * holding the score (LTI launch done, AGS passback through token, line item and score calls).
 */
import { readFileSync } from 'node:fs';
import { createApp } from '../functions/api/app.ts';
import { localLms } from '../functions/lms/local.ts';
import { lmsRoutes } from '../functions/lms/routes.ts';
import { lmsEvents } from '../functions/lms/wiring.ts';
import { startDynalite } from '../functions/local/dynalite.ts';
import { realGrader } from '../functions/service/grader.ts';
import { createToken } from '../functions/service/tokens.ts';
import { createDynamoRepository } from '../functions/storage/dynamo.ts';
import { ensureTable } from '../functions/storage/table.ts';
import { startPeer } from '../test/lms/peer.ts';
import { ms, quantile, table } from './stats.ts';

/** Prints delivery throughput and submission-to-gradebook latency. */
export async function bench(): Promise<void> {
  const db = await startDynalite();
  await ensureTable(db.client, 'podlab');
  const repo = createDynamoRepository({ client: db.client, tableName: 'podlab' });
  const { lms, queue } = localLms(db.client, 'podlab', repo, {
    allowPrivate: true,
    onError: (e) => console.error(e),
  });
  const app = createApp({
    repo,
    grader: realGrader,
    clock: () => new Date(),
    routes: [lmsRoutes(lms)],
    events: lmsEvents(lms),
  });
  const key = await lms.toolKey();
  const peer = await startPeer(() => ({ keys: [key.publicJwk] }));
  try {
    // Deliveries: 300 events to one endpoint, drained by the queue.
    const { secret } = await lms.createEndpoint('k8s', `${peer.url}/webhooks`, ['submission.graded']);
    peer.webhookSecrets.push(secret);
    const n = 300;
    for (let i = 0; i < n; i++) await lms.emit('k8s', 'submission.graded', `bench-${i}`, { i });
    const t0 = process.hrtime.bigint();
    while (peer.log.webhooks.length < n) if ((await queue.run()) === 0) break;
    const deliverSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

    // Submission to gradebook: a launched student submits; the poller sends the score.
    const teacher = (
      await createToken(repo, { role: 'instructor', user: 't', course: 'k8s', now: new Date() })
    ).token;
    const scenario = readFileSync('scenarios/pod-phases/scenario.yaml', 'utf8');
    await app.request('/v1/scenarios/pod-phases', {
      method: 'PUT',
      headers: { authorization: `Bearer ${teacher}`, 'content-type': 'text/yaml' },
      body: scenario,
    });
    await lms.register(peer.registration('k8s'));
    queue.start(1000);
    const solution = readFileSync('scenarios/pod-phases/solution.yaml', 'utf8');
    const latencies: number[] = [];
    for (let i = 0; i < 15; i++) {
      const sub = `bench-student-${i}`;
      peer.students.add(sub);
      const login = new URL(
        await lms.login(
          { iss: peer.issuer, login_hint: sub, client_id: peer.clientId },
          'http://podlab.test/v1/lti/launch',
        ),
      );
      const idToken = await peer.idToken({
        sub,
        nonce: login.searchParams.get('nonce')!,
        custom: { scenario: 'pod-phases' },
      });
      const who = await lms.launch(idToken, login.searchParams.get('state')!);
      const token = (
        await createToken(repo, { role: 'student', user: who.user, course: 'k8s', now: new Date() })
      ).token;
      const before = peer.log.scores.length;
      const s0 = process.hrtime.bigint();
      const res = await app.request('/v1/scenarios/pod-phases/submissions', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/yaml' },
        body: solution,
      });
      if (res.status !== 201) throw new Error(`submission answered ${res.status}`);
      while (peer.log.scores.length === before) await new Promise((r) => setTimeout(r, 2));
      latencies.push(Number(process.hrtime.bigint() - s0) / 1e6);
    }
    await queue.stop();
    latencies.sort((a, b) => a - b);
    table(
      ['measure', 'figure'],
      [
        [
          'webhook deliveries (signed, loopback receiver, dynalite-backed queue)',
          `${(n / deliverSeconds).toFixed(0)} /s (${n} in ${deliverSeconds.toFixed(2)} s)`,
        ],
        [
          'submission to score in the LMS, median (grade, store, passback: token, line item, score)',
          ms(quantile(latencies, 0.5)),
        ],
        ['submission to score in the LMS, p90', ms(quantile(latencies, 0.9))],
      ],
    );
  } finally {
    await queue.stop();
    await peer.close();
    await db.close();
  }
}
