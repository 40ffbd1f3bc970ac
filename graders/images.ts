/**
 * Images a submission names that podlab cannot run honestly (issue 15, section 2): a well-known
 * public repository that podlab does not simulate rejects the submission, naming the image; the
 * simulator would otherwise have to pretend that the image does not exist.
 */
import type { ManifestError } from '../src/model/source.ts';
import type { ImageDefinition } from '../src/model/trace.ts';
import { notSimulatedRepository, simulatedImageNames } from './adapters.ts';

/** A submitted object's raw content and a way to find a field's line. */
export interface RawObject {
  raw: unknown;
  lineOf(path: string): number | undefined;
}

function get(raw: unknown, key: string): unknown {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

/** The images podlab runs, for messages: the catalogue and the lab's own images. */
export function simulatedImagesText(images: Record<string, ImageDefinition>): string {
  const own = Object.keys(images);
  return `${simulatedImageNames().join(', ')}${own.length > 0 ? `, and this lab's images ${own.join(', ')}` : ''}`;
}

/** One error per container image that names a known but unsimulated repository. */
export function unsimulatedImageErrors(
  objects: RawObject[],
  images: Record<string, ImageDefinition>,
  file: string,
): ManifestError[] {
  const errors: ManifestError[] = [];
  for (const o of objects) {
    const spec = get(o.raw, 'spec');
    for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
      const list = get(spec, field);
      if (!Array.isArray(list)) continue;
      list.forEach((c, i) => {
        const image = get(c, 'image');
        if (typeof image !== 'string') return;
        const repository = notSimulatedRepository(image, images);
        if (repository === undefined) return;
        const path = `spec.${field}[${i}].image`;
        const line = o.lineOf(path);
        errors.push({
          message: `error: image "${image}" (${repository}) exists, but podlab does not simulate it, so this submission cannot be graded; podlab runs ${simulatedImagesText(images)}`,
          field: path,
          file,
          ...(line !== undefined ? { line } : {}),
        });
      });
    }
  }
  return errors;
}
