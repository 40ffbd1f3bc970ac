import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSchema, renderSchema, SCHEMA_PATH } from '../../scripts/gen-k8s-schema.ts';
import { SCHEMA } from '../../src/manifest/decode.ts';

describe('generated Kubernetes 1.33 schema', () => {
  it('equals what the generator derives from @kubernetes/client-node now', () => {
    expect(renderSchema(generateSchema())).toBe(readFileSync(SCHEMA_PATH, 'utf8'));
  });

  it('is the complete Pod and Service closure with Go type names', () => {
    expect(SCHEMA.source).toContain('v1.33.0');
    expect(Object.keys(SCHEMA.types).length).toBeGreaterThan(100);
    expect(SCHEMA.types.Probe).toEqual({
      exec: 'ExecAction',
      failureThreshold: 'int32',
      grpc: 'GRPCAction',
      httpGet: 'HTTPGetAction',
      initialDelaySeconds: 'int32',
      periodSeconds: 'int32',
      successThreshold: 'int32',
      tcpSocket: 'TCPSocketAction',
      terminationGracePeriodSeconds: 'int64',
      timeoutSeconds: 'int32',
    });
    expect(SCHEMA.types.Container!.ports).toBe('[]ContainerPort');
    expect(SCHEMA.types.Container!.restartPolicy).toBe('string');
    expect(SCHEMA.types.ResourceRequirements!.limits).toBe('map[string]quantity');
    expect(SCHEMA.types.ServicePort!.targetPort).toBe('intstr');
    expect(SCHEMA.types.LifecycleHandler!.sleep).toBe('SleepAction');
    expect(SCHEMA.types.PodSpec!.resources).toBe('ResourceRequirements');
    expect(SCHEMA.types.ObjectMeta!.labels).toBe('map[string]string');
  });

  it('lists served kinds per group/version', () => {
    expect(SCHEMA.kinds.v1).toContain('ConfigMap');
    expect(SCHEMA.kinds['apps/v1']).toEqual([
      'ControllerRevision',
      'DaemonSet',
      'Deployment',
      'ReplicaSet',
      'StatefulSet',
    ]);
    expect(SCHEMA.kinds['batch/v1']).toEqual(['CronJob', 'Job']);
  });
});
