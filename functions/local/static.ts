/**
 * Serves a directory of static files (the web page under `web/`) at `/`, for `podlab serve`.
 * Only regular files inside the directory; `..` and hidden files are never served.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { RouteModule } from '../api/app.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.map': 'application/json',
};

/** A route module serving `dir` (GET and HEAD of any path not taken by the API). */
export function staticFiles(dir: string): RouteModule {
  const root = resolve(dir);
  return (app) => {
    app.get('*', async (c, next) => {
      let path: string;
      try {
        path = decodeURIComponent(c.req.path);
      } catch {
        return next();
      }
      if (path.endsWith('/')) path += 'index.html';
      const segments = path.split('/').filter(Boolean);
      if (segments.some((s) => s === '..' || s.startsWith('.') || s.includes('\\') || s.includes('\0')))
        return next();
      const file = join(root, ...segments);
      if (!file.startsWith(root + sep)) return next();
      try {
        const st = await stat(file);
        if (!st.isFile()) return next();
        const body = await readFile(file);
        c.header('Content-Type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
        c.header('Cache-Control', 'no-cache');
        return c.body(body);
      } catch {
        return next();
      }
    });
  };
}
