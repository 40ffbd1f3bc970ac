import { describe, expect, it } from 'vitest';
import { describePod, eventsTable } from '../../src/sim/printers/index.ts';
import {
  container,
  cs,
  emptyTrace,
  livenessFixture,
  pod,
  rec,
  running,
  S,
  snapshot,
  terminated,
  waiting,
} from './helpers.ts';

describe('describePod', () => {
  it('renders the liveness-exec pod like kubectl describe, events aggregated relative to now', () => {
    const { pod: spec, trace } = livenessFixture();
    expect(describePod(spec, trace, 75 * S)).toBe(
      [
        'Name:             liveness-exec',
        'Namespace:        default',
        'Priority:         0',
        'Service Account:  default',
        'Node:             node01/172.18.0.2',
        'Start Time:       0s',
        'Labels:           test=liveness',
        'Annotations:      <none>',
        'Status:           Running',
        'IP:               10.244.0.5',
        'IPs:',
        '  IP:  10.244.0.5',
        'Containers:',
        '  liveness:',
        '    Container ID:  containerd://bbb',
        '    Image:         busybox:1.32.0',
        '    Port:          <none>',
        '    Host Port:     <none>',
        '    Args:',
        '      /bin/sh',
        '      -c',
        '      touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600',
        '    State:          Running',
        '      Started:      1m9s',
        '    Last State:     Terminated',
        '      Reason:       Error',
        '      Exit Code:    137',
        '      Started:      0s',
        '      Finished:     1m9s',
        '    Ready:          True',
        '    Restart Count:  1',
        '    Liveness:       exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3',
        '    Environment:    <none>',
        'Conditions:',
        '  Type                        Status',
        '  PodReadyToStartContainers   True ',
        '  Initialized                 True ',
        '  Ready                       True ',
        '  ContainersReady             True ',
        '  PodScheduled                True ',
        'Events:',
        '  Type     Reason     Age                From               Message',
        '  ----     ------     ----               ----               -------',
        '  Normal   Scheduled  75s                default-scheduler  Successfully assigned default/liveness-exec to node01',
        "  Warning  Unhealthy  36s (x3 over 46s)  kubelet            Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
        '  Normal   Killing    36s                kubelet            Container liveness failed liveness probe, will be restarted',
        '  Normal   Pulled     6s (x2 over 75s)   kubelet            Container image "busybox:1.32.0" already present on machine',
        '  Normal   Created    6s (x2 over 75s)   kubelet            Created container: liveness',
        '  Normal   Started    6s (x2 over 75s)   kubelet            Started container liveness',
        '',
      ].join('\n'),
    );
  });

  it('shows only what happened up to now', () => {
    const { pod: spec, trace } = livenessFixture();
    const text = describePod(spec, trace, 30 * S);
    expect(text).toContain('    Container ID:  containerd://aaa\n');
    expect(text).not.toContain('Last State');
    expect(text).toContain(
      "  Warning  Unhealthy  1s    kubelet            Liveness probe failed: cat: can't open",
    );
    expect(text).not.toContain('Killing');
  });

  it('init containers, ports, env, labels, terminating status and no events', () => {
    const spec = pod(
      'web',
      [
        container('app', {
          image: 'nginx:1.25',
          command: ['nginx'],
          ports: [
            { containerPort: 80, protocol: 'TCP', name: 'http' },
            { containerPort: 443, protocol: 'TCP' },
          ],
          env: [{ name: 'MODE', value: 'a\nb' }],
          readinessProbe: {
            httpGet: { path: '/', port: 80, scheme: 'HTTP' },
            initialDelaySeconds: 0,
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
        }),
      ],
      [container('wait', { ports: [{ containerPort: 53, protocol: 'UDP' }] })],
      { labels: { app: 'web', tier: 'front' }, annotations: { note: 'hi' } },
    );
    const trace = emptyTrace(100 * S, [
      rec(
        0,
        snapshot('web', {
          phase: 'Running',
          deletionTimestamp: 40 * S,
          conditions: [['Initialized', 'True']],
          init: [cs('wait', terminated(0, 'Completed', 3 * S, 1 * S), { containerID: 'containerd://i' })],
          containers: [cs('app', waiting('CrashLoopBackOff'), { restartCount: 2, lastFinishedAt: 9 * S })],
        }),
      ),
    ]);
    expect(describePod(spec, trace, 10 * S)).toBe(
      [
        'Name:                      web',
        'Namespace:                 default',
        'Priority:                  0',
        'Service Account:           default',
        'Node:                      <none>',
        'Labels:                    app=web',
        '                           tier=front',
        'Annotations:               note: hi',
        'Status:                    Terminating (lasts <invalid>)',
        'Termination Grace Period:  30s',
        'IP:                        ',
        'IPs:                       <none>',
        'Init Containers:',
        '  wait:',
        '    Container ID:   containerd://i',
        '    Image:          busybox:1.32.0',
        '    Port:           53/UDP',
        '    Host Port:      0/UDP',
        '    State:          Terminated',
        '      Reason:       Completed',
        '      Exit Code:    0',
        '      Started:      1s',
        '      Finished:     3s',
        '    Ready:          False',
        '    Restart Count:  0',
        '    Environment:    <none>',
        'Containers:',
        '  app:',
        '    Container ID:  ',
        '    Image:         nginx:1.25',
        '    Ports:         80/TCP (http), 443/TCP',
        '    Host Ports:    0/TCP (http), 0/TCP',
        '    Command:',
        '      nginx',
        '    State:          Waiting',
        '      Reason:       CrashLoopBackOff',
        '    Last State:     Terminated',
        '      Reason:       Error',
        '      Exit Code:    1',
        '      Started:      0s',
        '      Finished:     9s',
        '    Ready:          False',
        '    Restart Count:  2',
        '    Readiness:      http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3',
        '    Environment:',
        '      MODE:  a',
        '             b',
        'Conditions:',
        '  Type          Status',
        '  Initialized   True ',
        'Events:         <none>',
        '',
      ].join('\n'),
    );
  });

  it('escapes terminal control characters before the layout, like WriteEscaped', () => {
    const { pod: spec, trace } = livenessFixture();
    trace.events.push({
      at: 70 * S,
      object: 'Pod/liveness-exec',
      namespace: 'default',
      type: 'Warning',
      reason: 'X\x1b',
      message: 'red \x1b[31m\rtext',
      source: 'kubelet',
    });
    const text = describePod(spec, trace, 75 * S);
    expect(text).toContain('  Warning  X^[        5s                 kubelet            red ^[[31m\\rtext\n');
    expect(text).not.toContain('\x1b');
  });

  it('prints kubectl NotFound for a pod absent at that instant', () => {
    const spec = pod('gone', [container('c')]);
    const trace = emptyTrace(10 * S, [
      rec(0, snapshot('gone', { containers: [cs('c', running())] })),
      { at: 5 * S, key: 'Pod/default/gone', exists: false },
    ]);
    expect(describePod(spec, trace, 6 * S)).toBe('Error from server (NotFound): pods "gone" not found\n');
    expect(describePod(spec, trace, 4 * S)).toContain('Name:             gone\n');
  });
});

describe('eventsTable', () => {
  it('lists every occurrence with its virtual time', () => {
    const { trace } = livenessFixture();
    expect(eventsTable(trace)).toBe(
      [
        'TIME   TYPE      REASON      OBJECT              MESSAGE',
        '0s     Normal    Scheduled   pod/liveness-exec   Successfully assigned default/liveness-exec to node01',
        '0s     Normal    Pulled      pod/liveness-exec   Container image "busybox:1.32.0" already present on machine',
        '0s     Normal    Created     pod/liveness-exec   Created container: liveness',
        '0s     Normal    Started     pod/liveness-exec   Started container liveness',
        "29s    Warning   Unhealthy   pod/liveness-exec   Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
        "34s    Warning   Unhealthy   pod/liveness-exec   Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
        "39s    Warning   Unhealthy   pod/liveness-exec   Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
        '39s    Normal    Killing     pod/liveness-exec   Container liveness failed liveness probe, will be restarted',
        '69s    Normal    Pulled      pod/liveness-exec   Container image "busybox:1.32.0" already present on machine',
        '69s    Normal    Created     pod/liveness-exec   Created container: liveness',
        '69s    Normal    Started     pod/liveness-exec   Started container liveness',
        '',
      ].join('\n'),
    );
  });

  it('aggregates identical events as (xN over span)', () => {
    const { trace } = livenessFixture();
    expect(eventsTable(trace, { object: 'Pod/liveness-exec', aggregate: true })).toBe(
      [
        'TIME                TYPE      REASON      OBJECT              MESSAGE',
        '0s                  Normal    Scheduled   pod/liveness-exec   Successfully assigned default/liveness-exec to node01',
        "39s (x3 over 10s)   Warning   Unhealthy   pod/liveness-exec   Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
        '39s                 Normal    Killing     pod/liveness-exec   Container liveness failed liveness probe, will be restarted',
        '69s (x2 over 69s)   Normal    Pulled      pod/liveness-exec   Container image "busybox:1.32.0" already present on machine',
        '69s (x2 over 69s)   Normal    Created     pod/liveness-exec   Created container: liveness',
        '69s (x2 over 69s)   Normal    Started     pod/liveness-exec   Started container liveness',
        '',
      ].join('\n'),
    );
  });

  it('filters by object and namespace, and says when nothing matches', () => {
    const { trace } = livenessFixture();
    expect(eventsTable(trace, { object: 'Pod/other' })).toBe('No resources found\n');
    expect(eventsTable(trace, { namespace: 'lab' })).toBe('No resources found in lab namespace.\n');
  });
});
