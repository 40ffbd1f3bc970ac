/**
 * The images of one run, resolved once per reference. A catalogue image (no scenario
 * definition) depends on its reference only; images are immutable, so runs share them (and with
 * them the image's filesystem tree, freshFilesystem).
 */
import type { Image } from '../model/runtime.ts';
import type { SimOptions } from '../model/trace.ts';

/** How a run turns a reference into an image (the runtime's catalogue, or scripted images in tests). */
export type ImageResolver = (ref: string, images: SimOptions['images']) => Image | undefined;

/** Catalogue images by resolver and reference, shared by runs. */
const catalogues = new WeakMap<ImageResolver, Map<string, Image | undefined>>();

/** The image cache of one run. */
export class ImageCache {
  private readonly images = new Map<string, Image | undefined>();

  constructor(
    private readonly own: SimOptions['images'],
    private readonly resolver: ImageResolver,
  ) {}

  /** The image `ref` names, or undefined when nothing provides it. */
  get(ref: string): Image | undefined {
    if (!this.images.has(ref)) {
      const own = this.own ?? {};
      if (Object.hasOwn(own, ref)) this.images.set(ref, this.resolver(ref, own));
      else {
        let byRef = catalogues.get(this.resolver);
        if (!byRef) {
          byRef = new Map();
          catalogues.set(this.resolver, byRef);
        }
        if (!byRef.has(ref)) {
          if (byRef.size >= 256) byRef.clear();
          byRef.set(ref, this.resolver(ref, own));
        }
        this.images.set(ref, byRef.get(ref));
      }
    }
    return this.images.get(ref);
  }
}
