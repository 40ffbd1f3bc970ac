/**
 * Student-facing rendering of a manifest error: kubectl's text, then where it is
 * (`  --> file:line:col`), the source line and a caret under the offending key.
 */
import type { ManifestError } from '../model/source.ts';

const MAX_EXCERPT = 160;

/** The 1-based `line` of `text`, without its line break ('' when out of range). */
export function sourceLine(text: string, line: number): string {
  if (line < 1) return '';
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

/**
 * kubectl's message, then `  --> file:line:col`, the source line (tabs shown as spaces, long
 * lines cut around the column) and a caret under the column. Without a position, the message.
 */
export function renderManifestError(error: ManifestError, text: string): string {
  const out = [error.message];
  if (error.line === undefined) return out.join('\n');
  const column = Math.max(1, error.column ?? 1);
  out.push(`  --> ${error.file ?? '<input>'}:${error.line}:${column}`);
  let src = sourceLine(text, error.line).replace(/\t/g, ' ');
  let caret = column - 1;
  if (src.length > MAX_EXCERPT) {
    const from = Math.max(0, Math.min(caret - MAX_EXCERPT / 2, src.length - MAX_EXCERPT));
    src = `${from > 0 ? '…' : ''}${src.slice(from, from + MAX_EXCERPT)}`;
    caret = caret - from + (from > 0 ? 1 : 0);
  }
  const gutter = String(error.line);
  out.push(`${' '.repeat(gutter.length + 1)}|`);
  out.push(`${gutter} | ${src}`);
  out.push(`${' '.repeat(gutter.length + 1)}| ${' '.repeat(Math.max(0, Math.min(caret, src.length)))}^`);
  return out.join('\n');
}
