/**
 * A small, safe Markdown renderer for scenario instructions and hints: headings, paragraphs,
 * lists, fenced and inline code, bold, italic and links. Everything is HTML-escaped first, so
 * an instructor's text can never inject markup.
 */
import { escapeHtml, raw } from './html.js';

function inline(text) {
  let s = escapeHtml(text);
  const codes = [];
  s = s.replace(/`([^`]+)`/g, (_, c) => `\u0000${codes.push(c) - 1}\u0000`);
  s = s.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  s = s.replace(
    /\[([^\]]+)\]\((https?:\/\/[^)\s]+|#[^)\s]*)\)/g,
    '<a href="$2" rel="noopener noreferrer">$1</a>',
  );
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => `<code>${codes[Number(i)]}</code>`);
}

/** Renders Markdown text to HTML. */
export function renderMarkdown(md) {
  const lines = String(md ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const out = [];
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) out.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
    if (list) out.push(`</${list}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```/.exec(line);
    if (fence) {
      flush();
      const body = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]); i++) body.push(lines[i]);
      out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      const level = Math.min(6, h[1].length + 1);
      out.push(`<h${level}>${inline(h[2])}</h${level}>`);
      continue;
    }
    const li = /^\s*(?:([-*])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (li) {
      const kind = li[1] ? 'ul' : 'ol';
      if (para.length) {
        out.push(`<p>${inline(para.join(' '))}</p>`);
        para = [];
      }
      if (list !== kind) {
        if (list) out.push(`</${list}>`);
        out.push(`<${kind}>`);
        list = kind;
      }
      out.push(`<li>${inline(li[3])}</li>`);
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (list) {
      out.push(`</${list}>`);
      list = null;
    }
    para.push(line.trim());
  }
  flush();
  return out.join('\n');
}

/** Renders Markdown text to an `html` fragment (renderMarkdown escapes everything itself). */
export function markdown(md) {
  return raw(renderMarkdown(md));
}
