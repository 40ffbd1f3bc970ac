/**
 * The files every Pod has (src/sim/kubelet/pod-files.ts): /etc/hosts, /etc/resolv.conf,
 * /etc/hostname and the service-account token volume, read by the busybox shell through
 * `kubectl exec` as on a 1.33 cluster (kubelet_pods.go managedHostsFileContent, dns.go GetPodDNS,
 * ServiceAccount admission plugin).
 */
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Action } from '../../src/model/trace.ts';
import { tokenVolumeName } from '../../src/sim/kubelet/pod-files.ts';
import { defaultSimOptions, simulate } from '../../src/sim/simulate.ts';

/** The stdout (or stderr) and exit code of `command` exec'd at 2 s in container `c` of `podYaml`. */
function execIn(podYaml: string, command: string[]): { out: string; code: number | undefined } {
  const objects = loadManifests(podYaml, { file: 'p.yaml' }).objects.map((o) => o.object);
  const action: Action = { at: 2000, kind: 'exec', pod: 'p', namespace: 'default', container: 'c', command };
  const o = defaultSimOptions();
  o.budgets.horizonMs = 10_000;
  const r = simulate(objects, [action], o).actions[0];
  return { out: `${r?.stdout ?? ''}${r?.stderr ?? ''}`, code: r?.exitCode };
}

function podYaml(spec: string, container = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
${spec}
  containers:
    - name: c
      image: busybox:1.32.0
      command: [sleep, "3600"]
${container}`;
}

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

const CASES: {
  name: string;
  spec?: string;
  container?: string;
  cmd: string;
  out: string | RegExp;
  code?: number;
}[] = [
  { name: 'namespace file, no trailing newline', cmd: `cat ${SA}/namespace`, out: 'default' },
  { name: 'token and ca.crt exist', cmd: `ls ${SA}`, out: 'ca.crt\nnamespace\ntoken\n' },
  { name: 'token is a JWT', cmd: `cat ${SA}/token`, out: /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/ },
  {
    name: 'automountServiceAccountToken: false: no token volume',
    spec: '  automountServiceAccountToken: false',
    cmd: `cat ${SA}/namespace`,
    out: `cat: can't open '${SA}/namespace': No such file or directory\ncommand terminated with exit code 1\n`,
    code: 1,
  },
  {
    name: 'ClusterFirst resolv.conf',
    cmd: 'cat /etc/resolv.conf',
    out: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
  },
  {
    name: 'dnsPolicy None with dnsConfig',
    spec: '  dnsPolicy: None\n  dnsConfig: {nameservers: [1.2.3.4], searches: [ns1.svc.cluster-domain.example], options: [{name: ndots, value: "2"}, {name: edns0}]}',
    cmd: 'cat /etc/resolv.conf',
    out: 'search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\noptions ndots:2 edns0\n',
  },
  {
    name: 'ClusterFirst with dnsConfig merges and overrides ndots',
    spec: '  dnsConfig: {searches: [my.dns.search.suffix], options: [{name: ndots, value: "1"}]}',
    cmd: 'cat /etc/resolv.conf',
    out: 'search default.svc.cluster.local svc.cluster.local cluster.local my.dns.search.suffix\nnameserver 10.96.0.10\noptions ndots:1\n',
  },
  {
    name: 'hosts file with the Pod IP and hostname',
    cmd: 'cat /etc/hosts',
    out: /^# Kubernetes-managed hosts file\.\n127\.0\.0\.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n10\.244\.\d+\.\d+\tp\n$/,
  },
  {
    name: 'hostname and subdomain',
    spec: '  hostname: busybox-1\n  subdomain: busybox-subdomain',
    cmd: 'tail -n 1 /etc/hosts; cat /etc/hostname',
    out: /^10\.244\.\d+\.\d+\tbusybox-1\.busybox-subdomain\.default\.svc\.cluster\.local\tbusybox-1\nbusybox-1\n$/,
  },
  {
    name: 'hostAliases section',
    spec: '  hostAliases: [{ip: 127.0.0.1, hostnames: [foo.local, bar.local]}]',
    cmd: 'tail -n 3 /etc/hosts',
    out: '\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n',
  },
  { name: '/etc/hostname is the Pod name', cmd: 'cat /etc/hostname', out: 'p\n' },
  {
    name: 'a container that mounts the token path itself keeps its own volume',
    spec: '  volumes: [{name: own, emptyDir: {}}]',
    container: `      volumeMounts: [{name: own, mountPath: ${SA}}]`,
    cmd: `ls ${SA}`,
    out: '',
  },
];

describe('files every Pod has', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = execIn(podYaml(c.spec ?? '', c.container ?? ''), ['sh', '-c', c.cmd]);
      if (typeof c.out === 'string') expect(r.out).toBe(c.out);
      else expect(r.out).toMatch(c.out);
      expect(r.code).toBe(c.code ?? 0);
    });
  }

  it('names the token volume deterministically from the seed', () => {
    expect(tokenVolumeName('uid-1')).toBe(tokenVolumeName('uid-1'));
    expect(tokenVolumeName('uid-1')).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(tokenVolumeName('uid-1')).not.toBe(tokenVolumeName('uid-2'));
  });
});
