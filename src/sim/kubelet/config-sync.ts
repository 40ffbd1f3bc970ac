/**
 * Updates of mounted `configMap` and `secret` volumes. With the 1.33 default
 * configMapAndSecretChangeDetectionStrategy `Watch` (pkg/kubelet/configmap, secret:
 * NewWatchingConfigMapManager), the kubelet's cache sees a change at once, but a volume is only
 * rewritten when the Pod syncs again: the pod worker's periodic resync (`--sync-frequency`,
 * default 1 m; pod_workers.go completeWork) asks the volume manager to remount the volumes that
 * require it (configmap/secret plugins: RequiresRemount), and the atomic writer writes the new
 * payload if it differs (docs: "Mounted ConfigMaps are updated automatically ... as long as the
 * kubelet sync period + cache propagation delay"). podlab syncs a Pod with such volumes every
 * SYNC_FREQUENCY_MS after it set them up, without upstream's jitter (docs/deviations.md 59).
 * Neither an env var nor a `subPath` mount ever sees the change (the env is fixed when the
 * container is created, a subPath is bound at its start: volumes.ts withMounts).
 */
import type { Engine, Timer } from '../engine.ts';
import { Prio } from '../engine.ts';
import { AtomicWriterVolume, timestampDirName } from './atomic-writer.ts';
import type { PodRt } from './types.ts';
import { type ConfigReader, configPayload, configVolumeSources } from './volumes.ts';

/** The kubelet's `--sync-frequency` default: a Pod's periodic resync interval. */
export const SYNC_FREQUENCY_MS = 60_000;

/** What the volume sync needs from the kubelet. */
export interface ConfigSyncHost {
  engine: Engine;
  /** The Pod's namespace's reader of ConfigMaps and Secrets now. */
  reader(p: PodRt): ConfigReader;
  /** Records a Warning event about the Pod. */
  warn(p: PodRt, reason: string, message: string): void;
  /** Adds a note to the trace. */
  note(p: PodRt, message: string): void;
}

interface Tracked {
  /** When the Pod's volumes were set up: its periodic syncs are this plus multiples of the period. */
  since: number;
  timer?: Timer;
}

/** Refreshes the mounted configMap and secret volumes of the node's Pods after a change. */
export class ConfigVolumeSync {
  private readonly pods = new Map<PodRt, Tracked>();

  constructor(private readonly host: ConfigSyncHost) {}

  /** The Pod's volumes were set up now: a change of an object they project reaches them from here on. */
  track(p: PodRt): void {
    if (configVolumeSources(p.pod).length > 0) this.pods.set(p, { since: this.host.engine.now });
  }

  /** A ConfigMap or Secret was created, updated or deleted: the Pods projecting it sync at their next period. */
  changed(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): void {
    const now = this.host.engine.now;
    for (const [p, t] of this.pods) {
      if (p.removed) {
        this.pods.delete(p);
        continue;
      }
      if (p.pod.metadata.namespace !== namespace) continue;
      if (!configVolumeSources(p.pod).some((s) => s.kind === kind && s.name === name)) continue;
      if (t.timer && !t.timer.cancelled && t.timer.at > now) continue;
      const at = t.since + (Math.floor((now - t.since) / SYNC_FREQUENCY_MS) + 1) * SYNC_FREQUENCY_MS;
      t.timer = this.host.engine.schedule(at, Prio.sync, () => this.refresh(p));
    }
  }

  /** The Pod's periodic sync: every configMap/secret volume gets the object's current payload. */
  private refresh(p: PodRt): void {
    // A terminated or terminating Pod's worker no longer remounts its volumes.
    if (p.removed || p.terminalPhase || p.deletionTimestamp !== undefined || !p.volumes) return;
    const now = this.host.engine.now;
    const read = this.host.reader(p);
    for (const src of configVolumeSources(p.pod)) {
      const volume = p.volumes.get(src.volume);
      if (!(volume instanceof AtomicWriterVolume)) continue;
      const payload = configPayload(src, read);
      // SetUp fails and the volume keeps what it had (the atomic writer never ran).
      if ('failed' in payload) {
        this.host.warn(p, 'FailedMount', payload.failed as string);
        continue;
      }
      if (volume.update(payload, timestampDirName(now, `${p.uid}/${src.volume}`))) {
        this.host.note(
          p,
          `at ${now / 1000}s the kubelet rewrote ${src.kind === 'ConfigMap' ? 'configMap' : 'secret'} volume "${src.volume}" of Pod ${p.pod.metadata.name} (${src.kind} ${src.name} changed; a Pod syncs every ${SYNC_FREQUENCY_MS / 1000}s): mounted files show the new data, subPath mounts and environment variables keep the old values`,
        );
      }
    }
  }
}
