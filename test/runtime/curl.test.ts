import { describe, expect, it } from 'vitest';
import { resolveImage } from '../../src/sim/runtime/index.ts';
import { run } from './harness.ts';

/** Runs `script` after starting nginx in the background (so localhost:80 answers). */
const withNginx = (image: string, script: string) =>
  run(['sh', '-c', `nginx -g 'daemon off;' >/dev/null & sleep 1; ${script}`], { image, horizon: 10_000 });

describe('curl in the images that ship it (docker-nginx 87f9340, agnhost Dockerfile)', () => {
  it.each([
    ['nginx:1.25', true],
    ['nginx:1.18.0', true],
    ['nginx:1.25-alpine', true],
    ['nginx:1.27-alpine-slim', false],
    ['nginx:1.17.10-alpine', false],
    ['registry.k8s.io/e2e-test-images/agnhost:2.40', true],
    ['alpine:3.21', false],
    ['busybox', false],
  ])('%s has curl: %s', (ref, has) => {
    expect(resolveImage(ref, {})!.hasExecutable('curl')).toBe(has);
  });

  it.each([
    ['curl -s -o /dev/null localhost; echo rc=$?', 'rc=0\n', ''],
    ['curl -sf localhost/missing; echo rc=$?', 'rc=22\n', ''],
    [
      'curl -f localhost/missing; echo rc=$?',
      'rc=22\n',
      'curl: (22) The requested URL returned error: 404\n',
    ],
    [
      'curl localhost:8080; echo rc=$?',
      'rc=7\n',
      "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\n",
    ],
    ['curl -sS nosuchhost; echo rc=$?', 'rc=6\n', 'curl: (6) Could not resolve host: nosuchhost\n'],
    ['curl -s localhost | grep -c "Welcome to nginx"', '2\n', ''],
  ])('nginx:1.25 (curl 7.88): %s', (script, stdout, stderr) => {
    const r = withNginx('nginx:1.25', `${script}`);
    expect(r.stdout.replace(/^127\.0\.0\.1 - - .*\n/gm, '')).toBe(stdout);
    expect(r.stderr).toBe(stderr);
  });

  it("Alpine's curl 8 words a refused connection differently", () => {
    const r = run(['curl', 'localhost:81'], { image: 'nginx:1.25-alpine' });
    expect(r.stderr).toBe(
      'curl: (7) Failed to connect to localhost port 81 after 0 ms: Could not connect to server\n',
    );
    expect(r.end).toEqual({ kind: 'exited', exitCode: 7 });
  });
});
