// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell scripts, not templates
import { describe, expect, it } from 'vitest';
import { run } from './harness.ts';

interface Case {
  name: string;
  script: string;
  stdout?: string;
  stderr?: string;
  exit?: number;
  /** Virtual milliseconds until the process ends. */
  ms?: number;
  /** How the run ends when not `exited`. */
  end?: 'idle' | 'blocked';
}

const cases: Case[] = [
  { name: 'echo and ;', script: 'echo a; echo b', stdout: 'a\nb\n', exit: 0 },
  { name: 'echo -n', script: 'echo -n a; echo b', stdout: 'ab\n' },
  { name: 'echo -e escapes', script: 'echo -e "a\\tb\\nc"', stdout: 'a\tb\nc\n' },
  { name: 'echo without -e keeps backslashes', script: "echo 'a\\nb'", stdout: 'a\\nb\n' },
  { name: '&& and ||', script: 'true && echo y || echo n; false && echo y || echo n', stdout: 'y\nn\n' },
  { name: 'missing command', script: 'foo', stderr: 'sh: foo: not found\n', exit: 127 },
  {
    name: 'missing command by path',
    script: '/bin/bash -c true',
    stderr: 'sh: /bin/bash: not found\n',
    exit: 127,
  },
  { name: 'curl is not in busybox', script: 'curl http://x', stderr: 'sh: curl: not found\n', exit: 127 },
  { name: 'exit status of last command', script: 'false', exit: 1 },
  { name: 'exit N', script: 'exit 3; echo no', exit: 3, stdout: '' },
  { name: 'exit masks to 8 bits', script: 'exit 258', exit: 2 },
  {
    name: '$? after failure',
    script: 'cat /nope; echo $?',
    stdout: '1\n',
    stderr: "cat: can't open '/nope': No such file or directory\n",
  },
  { name: 'single quotes', script: 'echo \'$HOME "x"\'', stdout: '$HOME "x"\n' },
  { name: 'double quotes expand', script: 'X=1; echo "x=$X ${X}y"', stdout: 'x=1 1y\n' },
  { name: 'backslash escapes', script: 'echo \\$X a\\ b', stdout: '$X a b\n' },
  { name: 'field splitting', script: 'X="a  b"; for i in $X; do echo "[$i]"; done', stdout: '[a]\n[b]\n' },
  {
    name: 'quoted no splitting',
    script: 'X="a  b"; for i in "$X"; do echo "[$i]"; done',
    stdout: '[a  b]\n',
  },
  {
    name: 'positional args',
    script: 'set -- a "b c"; echo $#; for i in "$@"; do echo "<$i>"; done; echo $1',
    stdout: '2\n<a>\n<b c>\na\n',
  },
  { name: 'sh -c name args', script: "sh -c 'echo $0 $1 $2' me x y", stdout: 'me x y\n' },
  { name: '$$ of PID 1', script: 'echo $$', stdout: '1\n' },
  { name: 'command substitution', script: 'X=$(echo hi; echo there); echo "$X"', stdout: 'hi\nthere\n' },
  { name: 'backticks', script: 'echo `echo a` `echo b`', stdout: 'a b\n' },
  { name: 'nested substitution', script: 'echo $(echo $(echo deep))', stdout: 'deep\n' },
  {
    name: 'arithmetic',
    script: 'i=3; echo $((i * 2 + 1)) $((10 / 3)) $((10 % 3)) $((i > 2))',
    stdout: '7 3 1 1\n',
  },
  {
    name: 'arith assignment in loop',
    script: 'i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i',
    stdout: '3\n',
  },
  {
    name: 'param defaults',
    script: 'echo ${U:-def} ${U-x} ${#HOME}; V=; echo "${V:-e}" "${V-n}."',
    stdout: 'def x 5\ne .\n',
  },
  { name: 'param assign default', script: 'echo ${A:=7}; echo $A', stdout: '7\n7\n' },
  {
    name: 'param trim',
    script: 'F=/a/b/c.txt; echo ${F##*/} ${F%.txt} ${F#/} ${F%%/*}.',
    stdout: 'c.txt /a/b/c a/b/c.txt .\n',
  },
  { name: 'param unset error', script: 'echo ${U:?is unset}; echo no', stderr: 'sh: U: is unset\n', exit: 2 },
  {
    name: 'if elif else',
    script: 'X=2; if [ $X = 1 ]; then echo one; elif [ $X = 2 ]; then echo two; else echo other; fi',
    stdout: 'two\n',
  },
  {
    name: 'while with break',
    script: 'i=0; while true; do i=$((i+1)); [ $i -ge 4 ] && break; done; echo $i',
    stdout: '4\n',
  },
  { name: 'until', script: 'i=0; until [ $i -eq 2 ]; do echo $i; i=$((i+1)); done', stdout: '0\n1\n' },
  {
    name: 'for continue',
    script: 'for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done',
    stdout: '1\n3\n',
  },
  {
    name: 'nested break 2',
    script: 'for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done',
    stdout: '1a\n',
  },
  {
    name: 'case',
    script: 'for x in foo bar baz; do case $x in f*) echo F;; ba[r]) echo R;; *) echo other;; esac; done',
    stdout: 'F\nR\nother\n',
  },
  { name: 'case with | patterns', script: 'case b in a|b) echo ab;; esac', stdout: 'ab\n' },
  { name: 'brace group redirect', script: '{ echo a; echo b; } > /tmp/f; cat /tmp/f', stdout: 'a\nb\n' },
  { name: 'subshell isolates vars', script: 'X=1; (X=2; echo $X); echo $X', stdout: '2\n1\n' },
  { name: 'subshell exit', script: '(exit 3); echo $?', stdout: '3\n' },
  { name: 'functions', script: 'f() { echo "f:$1"; return 4; }; f x; echo $?', stdout: 'f:x\n4\n' },
  { name: 'negation', script: '! false && echo ok', stdout: 'ok\n' },
  { name: 'pipeline', script: 'printf "b\\na\\nc\\n" | sort | head -n 2', stdout: 'a\nb\n' },
  {
    name: 'tail -f into grep',
    script: 'printf "a1\\nb\\na2\\n" > /tmp/l; tail -f /tmp/l | grep a',
    stdout: 'a1\na2\n',
    end: 'idle',
  },
  { name: 'pipeline status is last', script: 'false | true; echo $?', stdout: '0\n' },
  {
    name: 'grep in pipeline',
    script: 'echo hello world | grep -o world || echo none; echo hi | grep -q h && echo found',
    stdout: 'world\nfound\n',
  },
  { name: 'redirect > and >>', script: 'echo a > /tmp/x; echo b >> /tmp/x; cat /tmp/x', stdout: 'a\nb\n' },
  { name: '2>&1 into pipe', script: 'cat /nope 2>&1 | wc -l', stdout: '1\n' },
  { name: '>/dev/null', script: 'echo hidden >/dev/null; cat /nope 2>/dev/null; echo $?', stdout: '1\n' },
  { name: 'stderr to stdout order', script: 'echo x 1>&2', stderr: 'x\n' },
  { name: '< input', script: 'echo abc > /tmp/in; cat < /tmp/in; wc -c < /tmp/in', stdout: 'abc\n4\n' },
  {
    name: '< missing file',
    script: 'cat < /nope; echo $?',
    stderr: "sh: can't open /nope: no such file\n",
    stdout: '1\n',
  },
  {
    name: 'redirect to missing dir',
    script: 'echo x > /no/such; echo $?',
    stderr: "sh: can't create /no/such: nonexistent directory\n",
    stdout: '1\n',
  },
  { name: 'here-document', script: "X=v; cat <<EOF\nline $X\nEOF\ncat <<'E'\n$X\nE", stdout: 'line v\n$X\n' },
  {
    name: 'read loop',
    script: 'printf "1 a\\n2 b\\n" | while read n l; do echo "$l$n"; done',
    stdout: 'a1\nb2\n',
  },
  { name: 'export to child sh', script: 'export A=1; B=2; sh -c \'echo "$A$B"\'', stdout: '1\n' },
  { name: 'prefix assignment', script: 'A=9 sh -c \'echo $A\'; echo "[$A]"', stdout: '9\n[]\n' },
  { name: 'eval', script: 'C="echo evaluated"; eval $C', stdout: 'evaluated\n' },
  { name: 'set -e stops', script: 'set -e; echo a; false; echo b', stdout: 'a\n', exit: 1 },
  {
    name: 'arithmetic compound assignment',
    script: 'i=1; : $((i += 4)); : $((i *= 2)); echo $i $((i++)) $i $((--i))',
    stdout: '10 10 11 10\n',
  },
  {
    name: 'function keyword',
    script: 'function f { echo F; }; function g() { echo G; }; f; g',
    stdout: 'F\nG\n',
  },
  {
    name: 'set -e and the last command of &&',
    script: 'set -e; false && true; echo reached; true && false; echo not',
    stdout: 'reached\n',
    exit: 1,
  },
  {
    name: 'set -e spares conditions',
    script: 'set -e; if false; then :; fi; false || true; echo ok',
    stdout: 'ok\n',
  },
  { name: 'comments', script: 'echo a # not this\n# whole line\necho b', stdout: 'a\nb\n' },
  { name: 'newlines as separators', script: 'echo a\necho b\n\n', stdout: 'a\nb\n' },
  {
    name: 'syntax error unexpected done',
    script: 'echo a; done',
    stderr: 'sh: syntax error: unexpected "done"\n',
    exit: 2,
    stdout: '',
  },
  {
    name: 'syntax error eof',
    script: 'if true; then echo',
    stderr: 'sh: syntax error: unexpected end of file (expecting "fi")\n',
    exit: 2,
  },
  {
    name: 'commands before a later syntax error run',
    script: 'echo a\nfi\necho b',
    stdout: 'a\n',
    stderr: 'sh: syntax error: unexpected "fi"\n',
    exit: 2,
  },
  {
    name: 'unterminated quote',
    script: "echo 'abc",
    stderr: 'sh: syntax error: unterminated quoted string\n',
    exit: 2,
  },
  {
    name: 'test operators',
    script:
      '[ -z "" ] && [ -n x ] && [ 3 -gt 2 ] && [ a != b ] && [ ! -e /nope ] && [ -d /tmp ] && [ -f /bin/sh ] && echo all',
    stdout: 'all\n',
  },
  { name: 'test bad number', script: '[ a -eq 1 ]; echo $?', stderr: 'sh: a: bad number\n', stdout: '2\n' },
  { name: '[ missing ]', script: '[ 1 = 1; echo $?', stderr: 'sh: missing ]\n', stdout: '2\n' },
  {
    name: 'touch rm test',
    script: 'touch /tmp/a; test -e /tmp/a && echo y; rm /tmp/a; test -e /tmp/a || echo gone',
    stdout: 'y\ngone\n',
  },
  {
    name: 'rm missing',
    script: 'rm /tmp/none; echo $?; rm -f /tmp/none; echo $?',
    stderr: "rm: can't remove '/tmp/none': No such file or directory\n",
    stdout: '1\n0\n',
  },
  {
    name: 'rm dir without -r',
    script: 'mkdir /tmp/d; rm /tmp/d; echo $?',
    stderr: "rm: '/tmp/d' is a directory\n",
    stdout: '1\n',
  },
  {
    name: 'mkdir errors',
    script: 'mkdir /a/b; mkdir /tmp; mkdir -p /a/b && echo ok',
    stderr:
      "mkdir: can't create directory '/a/b': No such file or directory\nmkdir: can't create directory '/tmp': File exists\n",
    stdout: 'ok\n',
  },
  {
    name: 'touch in missing dir',
    script: 'touch /no/x',
    stderr: 'touch: /no/x: No such file or directory\n',
    exit: 1,
  },
  {
    name: 'cd and pwd',
    script: 'cd /usr; pwd; cd ..; pwd; cd /nope',
    stdout: '/usr\n/\n',
    stderr: "sh: cd: line 1: can't cd to /nope: No such file or directory\n",
    exit: 2,
  },
  { name: 'relative paths', script: 'cd /tmp && echo x > f && cat /tmp/f && ls', stdout: 'x\nf\n' },
  {
    name: 'globbing',
    script: 'touch /tmp/a.txt /tmp/b.txt /tmp/c.log; echo /tmp/*.txt; echo /tmp/*.none',
    stdout: '/tmp/a.txt /tmp/b.txt\n/tmp/*.none\n',
  },
  { name: 'quoted glob is literal', script: 'touch /tmp/a; echo "/tmp/*"', stdout: '/tmp/*\n' },
  { name: 'sleep takes virtual time', script: 'sleep 2; sleep 0.5; sleep 1m', ms: 62_500 },
  { name: 'sleep sums args', script: 'sleep 1 2s', ms: 3000 },
  // tail -f polls its files every second (busybox tail.c sleep(1)): the process stays blocked.
  { name: 'tail -f keeps running', script: 'echo a > /tmp/l; tail -f /tmp/l', stdout: 'a\n', end: 'blocked' },
  {
    name: 'tail -f prints what is appended',
    script: 'echo a > /tmp/l; tail -f /tmp/l & sleep 2; echo b >> /tmp/l; sleep 2; kill $!',
    stdout: 'a\nb\n',
  },
  {
    name: 'tail -F waits for a missing file',
    script: 'tail -F /tmp/m & sleep 1; echo x > /tmp/m; sleep 2; kill $!',
    stdout: 'x\n',
    stderr:
      "tail: can't open '/tmp/m': No such file or directory\ntail: /tmp/m has appeared; following end of new file\n",
  },
  {
    name: 'tail -f without files to follow',
    script: 'tail -f /tmp/m',
    stderr: "tail: can't open '/tmp/m': No such file or directory\ntail: no files\n",
    exit: 1,
  },
  { name: 'tail -f /dev/null keep-alive', script: 'tail -f /dev/null', stdout: '', end: 'idle' },
  {
    name: 'head -c and tail -c',
    script: 'echo hello | head -c 3; echo; echo hello | tail -c 3',
    stdout: 'hel\nlo\n',
  },
  { name: 'printf huge precision is bounded', script: 'printf "%.300f" 1 | wc -c', stdout: '102\n' },
  { name: 'sleep infinity', script: 'sleep infinity; echo never', stdout: '', end: 'idle' },
  { name: 'sleep invalid', script: 'sleep abc', stderr: "sleep: invalid number 'abc'\n", exit: 1 },
  {
    name: 'date is virtual',
    script: 'sleep 61; date; date +%s; date -u +%Y-%m-%dT%H:%M:%S',
    stdout: 'Wed Jan  1 00:01:01 UTC 2025\n1735689661\n2025-01-01T00:01:01\n',
  },
  {
    name: 'background sleep and wait',
    script: 'sleep 10 & echo started; wait; echo done',
    stdout: 'started\ndone\n',
    ms: 10_000,
  },
  { name: 'background does not block', script: 'sleep 10 & echo $!', stdout: '2\n', ms: 0 },
  { name: 'wait for pid status', script: '(sleep 1; exit 5) & wait $!; echo $?', stdout: '5\n', ms: 1000 },
  {
    name: 'printf formats',
    script: 'printf "%s-%5d-%-4s|%03d %x %c %%\\n" a 42 b 7 255 xyz',
    stdout: 'a-   42-b   |007 ff x %\n',
  },
  { name: 'printf reuses format', script: 'printf "%s\\n" a b c', stdout: 'a\nb\nc\n' },
  { name: 'seq and wc', script: 'seq 3; seq 2 2 6 | wc -l', stdout: '1\n2\n3\n3\n' },
  {
    name: 'expr',
    script: 'expr 2 + 3; expr 7 \\* 6; expr 5 = 5; expr 1 / 0',
    stdout: '5\n42\n1\n',
    stderr: 'expr: division by zero\n',
    exit: 2,
  },
  {
    name: 'head and tail',
    script: 'seq 10 > /tmp/n; head -n 2 /tmp/n; tail -n 1 /tmp/n; tail -3 /tmp/n | head -1',
    stdout: '1\n2\n10\n8\n',
  },
  { name: '/etc/hostname', script: 'cat /etc/hostname', stdout: 'pod-1\n' },
  {
    name: 'hostname id whoami uname',
    script: 'hostname; id; whoami; uname',
    stdout: 'pod-1\nuid=0(root) gid=0(root) groups=0(root),10(wheel)\nroot\nLinux\n',
  },
  { name: 'env shows exported', script: 'export Z=1; env | grep ^Z=', stdout: 'Z=1\n' },
  { name: 'ls missing', script: 'ls /nope', stderr: 'ls: /nope: No such file or directory\n', exit: 1 },
  {
    name: 'kill unknown pid',
    script: 'kill 999',
    stderr: "sh: can't kill pid 999: No such process\n",
    exit: 1,
  },
  { name: 'kill background job', script: 'sleep 100 & kill $!; wait $!; echo $?', stdout: '143\n', ms: 0 },
  {
    name: 'command -v',
    script: 'command -v sleep; command -v curl || echo none',
    stdout: '/bin/sleep\nnone\n',
  },
  { name: 'rm the binary', script: 'rm /bin/sleep; sleep 1', stderr: 'sh: sleep: not found\n', exit: 127 },
  { name: 'busybox multi-call', script: 'busybox echo hi', stdout: 'hi\n' },
  {
    name: 'script file with shebang',
    script: 'printf "#!/bin/sh\\necho from script \\$1\\n" > /tmp/s.sh; /tmp/s.sh arg; sh /tmp/s.sh two',
    stdout: 'from script arg\nfrom script two\n',
  },
  {
    name: 'non-executable file',
    script: 'echo data > /tmp/f; /tmp/f',
    stderr: 'sh: /tmp/f: Permission denied\n',
    exit: 126,
  },
  { name: 'exec replaces shell', script: 'exec echo replaced; echo never', stdout: 'replaced\n' },
  { name: 'EXIT trap', script: "trap 'echo bye' EXIT; echo hi", stdout: 'hi\nbye\n' },
  { name: 'trap listing', script: "trap 'echo t' TERM; trap", stdout: "trap -- 'echo t' TERM\n" },
  {
    name: 'bad trap',
    script: 'trap x FOO TERM; trap',
    stderr: 'sh: trap: line 1: FOO: invalid signal specification\n',
    stdout: "trap -- 'x' TERM\n",
    exit: 0,
  },
  {
    name: 'trap with a lone operand resets',
    script: "trap 'echo t' TERM; trap TERM; trap; echo end",
    stdout: 'end\n',
  },
  {
    name: 'trap listing by signal number',
    script: "trap 'a' TERM; trap \"it's\" INT; trap 'b' EXIT; trap",
    stdout: "trap -- 'b' EXIT\ntrap -- 'it'\"'\"'s' INT\ntrap -- 'a' TERM\n",
    stderr: 'sh: b: not found\n',
  },
  {
    name: 'script file errors carry the file and line',
    script: 'printf "echo a\\nfoo\\ncd /x\\n" > /tmp/s; sh /tmp/s',
    stdout: 'a\n',
    stderr: "/tmp/s: line 2: foo: not found\n/tmp/s: cd: line 3: can't cd to /x: No such file or directory\n",
    exit: 2,
  },
  {
    name: 'sh -c CMD NAME errors',
    script: "sh -c 'foo' myname",
    stderr: 'myname: line 1: foo: not found\n',
    exit: 127,
  },
  {
    name: 'syntax error line in a script',
    script: 'printf "echo a\\nfi\\n" > /tmp/s; sh /tmp/s',
    stderr: '/tmp/s: line 2: syntax error: unexpected "fi"\n',
    exit: 2,
  },
  {
    name: 'kill -0 checks a process',
    script: 'sleep 5 & kill -0 $!; echo $?; kill -0 77; echo $?',
    stdout: '0\n1\n',
    stderr: "sh: can't kill pid 77: No such process\n",
  },
  { name: '$LINENO', script: 'echo $LINENO\n\necho $LINENO', stdout: '1\n3\n' },
  {
    name: '$RANDOM is in 0..32767 and varies',
    script: 'a=$RANDOM; b=$RANDOM; [ $a -ge 0 ] && [ $a -le 32767 ] && [ $a != $b ] && echo ok',
    stdout: 'ok\n',
  },
  { name: 'sed s///g', script: 'echo hello world | sed s/o/0/g', stdout: 'hell0 w0rld\n' },
  {
    name: 'sed -n p, d, groups',
    script:
      'printf "a\\nb\\nc\\n" > /tmp/l; sed -n 2p /tmp/l; sed /b/d /tmp/l; echo abc | sed -E "s/(a)(b)/\\2\\1[&]/"',
    stdout: 'b\na\nc\nba[ab]c\n',
  },
  {
    name: 'sed -i edits in place',
    script: 'echo x=1 > /tmp/c; sed -i s/1/2/ /tmp/c; cat /tmp/c',
    stdout: 'x=2\n',
  },
  {
    name: 'find -name -type',
    script: 'mkdir -p /w/a; touch /w/a/x.txt /w/y.log; find /w -name "*.txt"; find /w -type d',
    stdout: '/w/a/x.txt\n/w\n/w/a\n',
  },
  {
    name: 'xargs',
    script: 'echo a b c | xargs -n 2 echo X; printf "p\\nq\\n" | xargs -I{} echo f:{}',
    stdout: 'X a b\nX c\nf:p\nf:q\n',
  },
  {
    name: 'Object.prototype names are not commands',
    script: 'valueOf; constructor; echo $?',
    stdout: '127\n',
    stderr: 'sh: valueOf: not found\nsh: constructor: not found\n',
  },
  { name: 'printenv of an inherited name', script: 'printenv toString; echo $?', stdout: '1\n' },
  {
    name: 'set -x traces commands',
    script: 'set -x; X="a b"; echo $X done',
    stdout: 'a b done\n',
    stderr: "+ X='a b'\n+ echo a b done\n",
  },
  { name: 'sh -x', script: "sh -xc 'echo hi'", stdout: 'hi\n', stderr: '+ echo hi\n' },
  {
    name: 'set -u',
    script: 'set -u; echo ${X:-ok}; echo $Y; echo no',
    stdout: 'ok\n',
    stderr: 'sh: Y: parameter not set\n',
    exit: 2,
  },
  {
    name: 'local restores on return',
    script: 'f() { local v=in; echo $v; }; v=out; f; echo $v; g() { local w; w=1; }; g; echo "[$w]"',
    stdout: 'in\nout\n[]\n',
  },
  { name: 'cd - prints the directory', script: 'cd /tmp; cd /; cd -; pwd', stdout: '/tmp\n/tmp\n' },
  { name: '$- flags', script: 'echo "[$-]"; set -eu; echo $-', stdout: '[]\neu\n' },
  {
    name: 'timeout',
    script: 'timeout 2 sleep 10; echo $?; timeout -s KILL 1 sleep 5; echo $?; timeout 5 sleep 1; echo $?',
    stdout: '143\n137\n0\n',
    ms: 4000,
  },
  { name: 'deep recursion ends', script: 'f() { f; }; f', exit: 139 },
];

describe('busybox sh -c', () => {
  it.each(cases)('$name', (c) => {
    const r = run(c.script);
    if (c.stdout !== undefined) expect(r.stdout).toBe(c.stdout);
    if (c.stderr !== undefined) expect(r.stderr).toBe(c.stderr);
    if (c.exit !== undefined) expect(r.end).toEqual({ kind: 'exited', exitCode: c.exit });
    else expect(r.end.kind).toBe(c.end ?? 'exited');
    if (c.ms !== undefined) expect(r.endAt).toBe(c.ms);
  });

  it('messages start with $0 as invoked', () => {
    expect(run(['/bin/sh', '-c', 'curl -s x']).stderr).toBe('/bin/sh: curl: not found\n');
  });

  it('applets run as programs prefix their own name', () => {
    expect(run(['[', 'a', '-eq', '1', ']']).stderr).toBe('[: a: bad number\n');
    expect(run(['test', '1', '-gt']).end).toEqual({ kind: 'exited', exitCode: 2 });
    expect(run(['kill', '999']).stderr).toBe("kill: can't kill pid 999: No such process\n");
  });

  it('kill -0 1 from an exec process', () => {
    expect(run('kill -0 1 && echo alive', { role: 'exec' }).stdout).toBe('alive\n');
  });

  it('background jobs interleave in virtual time', () => {
    const r = run('(sleep 1; echo a; sleep 2; echo c) & (sleep 2; echo b) & echo main; wait; echo done');
    expect(r.out.map((o) => [o.at, o.text])).toEqual([
      [0, 'main\n'],
      [1000, 'a\n'],
      [2000, 'b\n'],
      [3000, 'c\n'],
      [3000, 'done\n'],
    ]);
    expect(r.end).toEqual({ kind: 'exited', exitCode: 0 });
  });

  it('PID 1 ending ends its background jobs', () => {
    const r = run('sleep 100 & echo bye');
    expect(r.end).toEqual({ kind: 'exited', exitCode: 0 });
    expect(r.endAt).toBe(0);
  });

  it('/proc/1/fd/1 is the container log, also from exec processes', () => {
    expect(run('echo main > /proc/1/fd/1').stdout).toBe('main\n');
    const log: [string, string, number][] = [];
    const r = run('sleep 2; echo hook > /proc/1/fd/1; echo err 2>/proc/1/fd/2 >&2; echo own', {
      role: 'exec',
      mainOutput: (s, t, at) => log.push([s, t, at]),
    });
    expect(r.stdout).toBe('own\n');
    expect(log).toEqual([
      ['stdout', 'hook\n', 2000],
      ['stderr', 'err\n', 2000],
    ]);
    expect(run('echo gone > /proc/1/fd/1', { role: 'exec' }).out).toEqual([]);
  });

  it('2>/dev/stdout follows the current stdout', () => {
    const r = run('{ echo out; echo err >&2; } > /tmp/f 2>/dev/stdout; cat /tmp/f');
    expect(r.stdout).toBe('out\nerr\n');
  });

  it('output carries the virtual time it was written at', () => {
    const r = run('echo a; sleep 3; echo b; sleep 1.5; echo c');
    expect(r.out.map((o) => [o.at, o.text])).toEqual([
      [0, 'a\n'],
      [3000, 'b\n'],
      [4500, 'c\n'],
    ]);
  });
});
