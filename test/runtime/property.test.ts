// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell scripts, not templates
/** Random short scripts from a small grammar: never throw, always end, same result twice. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Process } from '../../src/model/runtime.ts';
import { drive, run, start } from './harness.ts';

const word = fc.constantFrom(
  'a',
  'b',
  '"x y"',
  "'q'",
  '$X',
  '$?',
  '$(echo s)',
  '`echo t`',
  '/tmp/f',
  '*',
  '$((1+2))',
  '${X:-d}',
  '"$@"',
);
const simple = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'echo',
        'printf',
        'test',
        '[',
        'cat',
        'touch',
        'rm',
        'rm -rf',
        'mkdir -p',
        'ls',
        'sleep',
        'true',
        'false',
        'exit',
        'wc -l',
        'grep a',
        'head -n 1',
        'kill',
        'trap',
        'expr',
        'seq',
        'sed s/a/b/g',
        'sed -n 1p',
        'find /tmp',
        'xargs echo',
        'wget -q -O -',
        'nc -z',
        'nslookup',
        'date',
        'env',
        'yes',
        'nosuchcmd',
      ),
      fc.array(word, { maxLength: 3 }),
    )
    .map(([c, ws]) => [c, ...ws].join(' ')),
  fc.constantFrom(
    'X=1',
    'X="a b"',
    'set -- p q',
    'cd /tmp',
    'cd ..',
    'sleep 1',
    'sleep 0.5',
    'trap "echo t" TERM',
    'f() { echo f; }',
    'f',
    'wait',
    'sleep 2 &',
  ),
);
const redirect = fc.constantFrom(
  '',
  '',
  ' > /tmp/f',
  ' >> /tmp/f',
  ' 2>&1',
  ' < /tmp/f',
  ' > /dev/null',
  ' > /no/dir/x',
);
const cmd: fc.Arbitrary<string> = fc.letrec((tie) => ({
  cmd: fc.oneof(
    { weight: 5, arbitrary: fc.tuple(simple, redirect).map(([s, r]) => s + r) },
    { weight: 1, arbitrary: fc.tuple(tie('list'), tie('list')).map(([c, b]) => `if ${c}; then ${b}; fi`) },
    { weight: 1, arbitrary: tie('list').map((b) => `for i in 1 2; do ${b}; done`) },
    {
      weight: 1,
      arbitrary: fc.tuple(tie('list'), tie('list')).map(([c, b]) => `while ${c}; do ${b}; break; done`),
    },
    { weight: 1, arbitrary: tie('list').map((b) => `( ${b} )`) },
    { weight: 1, arbitrary: tie('list').map((b) => `{ ${b}; }`) },
    { weight: 1, arbitrary: fc.tuple(tie('cmd'), tie('cmd')).map(([a, b]) => `${a} | ${b}`) },
    { weight: 1, arbitrary: fc.tuple(tie('cmd'), tie('cmd')).map(([a, b]) => `${a} && ${b}`) },
    { weight: 1, arbitrary: fc.tuple(tie('cmd'), tie('cmd')).map(([a, b]) => `${a} || ${b}`) },
    { weight: 1, arbitrary: tie('cmd').map((a) => `! ${a}`) },
  ),
  list: fc.array(tie('cmd'), { minLength: 1, maxLength: 3 }).map((cs) => cs.join('; ')),
})).list as fc.Arbitrary<string>;
/** Arbitrary characters too: the parser must answer every input. */
const junk = fc.string({ unit: 'grapheme', maxLength: 40 });

describe('shell determinism', () => {
  it('random scripts never throw and give identical results twice', () => {
    fc.assert(
      fc.property(fc.oneof(cmd, junk), (script) => {
        const opts = {
          horizon: 20_000,
          limits: { maxShellSteps: 2000, maxOutputBytes: 4096, maxFsBytes: 4096 },
        };
        const a = run(script, opts);
        const b = run(script, opts);
        expect(b.out).toEqual(a.out);
        expect(b.end).toEqual(a.end);
        expect(b.endAt).toBe(a.endAt);
      }),
      { numRuns: 150, seed: 4242 },
    );
  });
});

describe('no input makes the runtime throw', () => {
  it('spawn with arbitrary argv in any catalogue image', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('busybox', 'nginx:1.17.10-alpine', 'nginx'),
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.constantFrom('sh', '-c', 'nginx', '/bin/sh', 'wget', 'sleep', '1', 'x'),
          ),
          { maxLength: 4 },
        ),
        (image, argv) => {
          const s = start(argv, {
            image,
            limits: { maxShellSteps: 2000, maxOutputBytes: 4096, maxFsBytes: 4096 },
          });
          if (!('startError' in s.proc)) drive(s.proc, 0, 10_000);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it('nginx answers any request path', () => {
    const s = start(['nginx', '-g', 'daemon off;'], { image: 'nginx:1.17.10-alpine' });
    const p = s.proc as Process;
    p.run(0);
    const http = p.listeners()[0]!.http!;
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('GET', 'HEAD', 'POST', 'x'),
        (path, method) => {
          const r = http({ method, path, headers: {} });
          expect(r.status).toBeGreaterThanOrEqual(200);
        },
      ),
      { numRuns: 300, seed: 9 },
    );
  });
});
