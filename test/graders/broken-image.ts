/**
 * A failure injected inside the simulator through a real seam: the image resolver that
 * `simulateWith` takes (graders' `resolveImage` option). Every image is the runtime's own,
 * except that while `armed()` starting a process in a container throws, as a bug in the
 * kubelet or the runtime would. Tests check that such a bug is an internal failure, never a
 * rejected or failed submission.
 */
import type { ImageResolver } from '../../graders/index.ts';
import type { Image } from '../../src/model/runtime.ts';
import { resolveImage } from '../../src/sim/runtime/index.ts';

/** The message of the injected failure. */
export const INJECTED_FAULT = 'injected fault: the container runtime lost its process table';

/** The runtime's images, whose `spawn` throws while `armed()` is true. */
export function brokenSpawn(armed: () => boolean = () => true): ImageResolver {
  return (ref, images) => {
    const image = resolveImage(ref, images);
    if (!image) return undefined;
    const broken: Image = Object.create(image);
    broken.spawn = (...args) => {
      if (armed()) throw new TypeError(INJECTED_FAULT);
      return image.spawn(...args);
    };
    return broken;
  };
}
