/**
 * The container userland of podlab's simulator: images, their filesystems, and the processes
 * (busybox ash and applets, nginx) that run in virtual time behind `src/model/runtime.ts`.
 */

export {
  isSimulatedRepository,
  knownButNotSimulated,
  repositoryOf,
  resolveImage,
  simulatedRepositories,
} from './catalogue.ts';
export { MemFileSystem, normalizePath } from './fs.ts';
export { IMAGE_PATH, nginxTag, parseImageRef } from './images.ts';
export { formatDate, VIRTUAL_EPOCH_S } from './time.ts';
