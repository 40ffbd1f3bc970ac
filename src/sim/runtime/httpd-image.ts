/**
 * The httpd image (docker-library/httpd): Apache's foreground server, its default page, its
 * error pages and logs, and its reaction to the stop signals.
 */
import type { HttpResponse } from '../../model/runtime.ts';
import type { Ctx } from './applet.ts';
import { DEBIAN_PROGRAMS } from './distros.ts';
import { IMAGE_PATH, SimImage } from './images.ts';
import type { Gen, Kernel } from './kernel.ts';
import { exeContent, type Program } from './programs.ts';
import { type Builder, forever, libraryTag, type Request, userland } from './server-common.ts';
import { formatDate } from './time.ts';

const HTTPD_VERSIONS: Record<string, string> = { latest: '2.4.65', '2': '2.4.65', '2.4': '2.4.65' };
const HTTPD_PREFIX = '/usr/local/apache2';
const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';

/** Apache's error-log line format (`[Wed Jan 01 00:00:00.000000 2025] [module:level] [pid 1:tid 1] text`). */
function apacheLog(k: Kernel, module: string, text: string): string {
  const usec = String(Math.floor(k.clock % 1000) * 1000).padStart(6, '0');
  return `[${formatDate(k.clock, '%a %b %d %H:%M:%S')}.${usec} ${formatDate(k.clock, '%Y')}] [${module}] [pid 1:tid 1] ${text}\n`;
}

function apacheNotFound(): HttpResponse {
  return {
    status: 404,
    body: '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n',
    headers: { 'Content-Type': 'text/html; charset=iso-8859-1' },
  };
}

/**
 * `httpd -DFOREGROUND` (docker-library/httpd: the default httpd.conf, DocumentRoot htdocs on
 * port 80): files of `htdocs` in the container's current filesystem, `index.html` for a
 * directory, a 301 to `dir/`, Apache's 404 page. SIGTERM/SIGINT stop it at once (exit 0), as
 * the image's STOPSIGNAL SIGWINCH (graceful stop) does when no request is in flight.
 */
function httpdProgram(version: string): Program {
  return function* httpd(c: Ctx, argv: string[]): Gen<number> {
    const k = c.k;
    if (argv.includes('-v')) {
      c.io.out.write(`Server version: Apache/${version} (Unix)\nServer built:   Jul 23 2025 00:00:00\n`);
      return 0;
    }
    const err = c.io.err;
    const out = c.io.out;
    err.write(
      apacheLog(
        k,
        'mpm_event:notice',
        `AH00489: Apache/${version} (Unix) configured -- resuming normal operations`,
      ),
    );
    err.write(apacheLog(k, 'core:notice', `AH00094: Command line: 'httpd -D FOREGROUND'`));
    const fs = k.host.fs;
    const root = `${HTTPD_PREFIX}/htdocs`;
    let done = false;
    k.listen(k.currentPid(), {
      port: 80,
      http: (req: Request) => {
        const path = decodeURIComponent(req.path.split('?')[0]!);
        const clean = `${root}/${path
          .split('/')
          .filter((p) => p !== '' && p !== '.')
          .join('/')}`.replace(/\/$/, '');
        let res: HttpResponse;
        if (fs.isDirectory(clean)) {
          const index = fs.readFile(`${clean}/index.html`);
          if (!path.endsWith('/')) res = { status: 301, body: '', headers: { Location: `${path}/` } };
          else
            res =
              index !== undefined
                ? { status: 200, body: index, headers: { 'Content-Type': 'text/html' } }
                : apacheNotFound();
        } else {
          const content = fs.readFile(clean);
          res = content !== undefined ? { status: 200, body: content } : apacheNotFound();
        }
        if (req.now !== undefined && req.remoteAddr !== undefined && !done) {
          try {
            const saved = k.clock;
            k.clock = Math.max(k.clock, req.now);
            out.write(
              `${req.remoteAddr} - - [${formatDate(k.clock, '%d/%b/%Y:%H:%M:%S +0000')}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${res.body.length}\n`,
            );
            k.clock = saved;
          } catch {
            // out of log budget: the line is dropped
          }
        }
        return res;
      },
    });
    k.signalPolicy = (sig) => {
      if (sig === 'SIGTERM' || sig === 'SIGINT') {
        done = true;
        k.sink('stderr').write(apacheLog(k, 'mpm_event:notice', `AH00491: caught ${sig}, shutting down`));
        return { exitCode: 0 };
      }
      // SIGHUP/SIGUSR1: restart in place; other signals have no handler and are ignored as PID 1.
      return k.role === 'main' ? 'ignore' : 'default';
    };
    return yield* forever();
  };
}

/** docker-library/httpd 2.4: httpd-foreground removes a stale PID file and execs httpd. */
const HTTPD_FOREGROUND =
  '#!/bin/sh\nset -e\n\n# Apache gets grumpy about PID files pre-existing\nrm -f /usr/local/apache2/logs/httpd.pid\n\nexec httpd -DFOREGROUND "$@"\n';

/** The catalogue entry of docker.io/library/httpd. */
export const httpdImage: Builder = (ref, tag) => {
  const t = libraryTag(tag, HTTPD_VERSIONS, /^(alpine(3\.\d+)?|bookworm)$/);
  if (!t) return undefined;
  return new SimImage(
    ref,
    [],
    ['httpd-foreground'],
    true,
    userland(
      t.alpine,
      {
        [`${HTTPD_PREFIX}/bin/httpd`]: exeContent('apache-httpd'),
        [`${HTTPD_PREFIX}/htdocs/index.html`]: IT_WORKS,
        [`${HTTPD_PREFIX}/conf/httpd.conf`]:
          'ServerRoot "/usr/local/apache2"\nListen 80\nDocumentRoot "/usr/local/apache2/htdocs"\n',
        '/usr/local/bin/httpd-foreground': HTTPD_FOREGROUND,
      },
      [`${HTTPD_PREFIX}/logs`],
    ),
    { PATH: `${HTTPD_PREFIX}/bin:${IMAGE_PATH}`, HTTPD_PREFIX, HTTPD_VERSION: t.version },
    { ...DEBIAN_PROGRAMS, 'apache-httpd': httpdProgram(t.version) },
    {},
    { workingDir: HTTPD_PREFIX, exposedPorts: ['80/tcp'], stopSignal: 'SIGWINCH' },
  );
};
