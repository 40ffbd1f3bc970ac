/**
 * Popular server images from Docker Hub's library (github.com/docker-library): httpd, redis,
 * postgres and mysql, with their entrypoints' checks, their ports once started, their client
 * tools (redis-cli, pg_isready, mysqladmin) and their reaction to the stop signals.
 */
import { httpdImage } from './httpd-image.ts';
import { mysqlImage } from './mysql-image.ts';
import { postgresImage } from './postgres-image.ts';
import { redisImage } from './redis-image.ts';
import type { Builder } from './server-common.ts';

/** Catalogue entries of the popular server images, by repository. */
export const SERVER_IMAGES: Record<string, Builder> = {
  'docker.io/library/httpd': httpdImage,
  'docker.io/library/redis': redisImage,
  'docker.io/library/postgres': postgresImage,
  'docker.io/library/mysql': mysqlImage,
};
