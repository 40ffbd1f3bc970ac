/** Admission warnings (issue 20 §1): a scenario whose duration leaves common answers no room. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../graders/index.ts';

function scenario(duration: string, setup = ''): string {
  return `apiVersion: podlab/v1
kind: Scenario
metadata:
  name: sized
  title: Sized
spec:
  instructions: Keep the Pod running.
  submission:
    allowedKinds: [Pod]
  duration: ${duration}
${setup}  checks:
    - id: running
      at: 1s
      pod: web
      expect: {phase: Running}
`;
}

const PROBED_SETUP = `  setup:
    - |
      apiVersion: v1
      kind: Pod
      metadata: {name: backend}
      spec:
        containers:
        - name: app
          image: nginx
          livenessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
          startupProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
`;

const ROWS: { name: string; text: string; warning: RegExp | undefined }[] = [
  { name: 'a 5 minute lab: no warning', text: scenario('5m'), warning: undefined },
  {
    name: '12 hours still fit two containers probed twice a second',
    text: scenario('12h'),
    warning: undefined,
  },
  {
    name: '24 hours: room for 2.3 probe executions per second',
    text: scenario('24h'),
    warning: /^over 24h a run has room for 2\.3 probe executions per second \(200,000 in all\)/,
  },
  {
    name: "24 hours with the scenario's own Pod probed three times a second: every submission rejected",
    text: scenario('24h', PROBED_SETUP),
    warning: /^the scenario's own Pods probe about 259,200 times in 24h.*every submission would be rejected/,
  },
];

describe('admissionWarnings through parseScenario', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const r = parseScenario(row.text, 'scenario.yaml');
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      if (row.warning === undefined) expect(r.warnings).toEqual([]);
      else {
        expect(r.warnings).toHaveLength(1);
        expect(r.warnings[0]!.path).toBe('spec.duration');
        expect(r.warnings[0]!.message).toMatch(row.warning);
      }
    });
  }
});
