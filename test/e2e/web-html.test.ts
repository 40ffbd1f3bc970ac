/**
 * web/html.js, the page's escape-by-default templates, in Node: what each kind of value turns
 * into, and that no script of the page writes markup except through `setHtml`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Fragment {
  toString(): string;
}
interface HtmlModule {
  html(strings: TemplateStringsArray, ...values: unknown[]): Fragment;
  raw(markup: string): Fragment;
  setHtml(element: { innerHTML: string }, fragment: unknown): void;
}

// A computed specifier: the page's plain JS module has no type declarations.
const modulePath = '../../web/html.js';
const { html, raw, setHtml } = (await import(modulePath)) as HtmlModule;

describe('html`…` escapes every interpolated value', () => {
  const rows: [string, unknown, string][] = [
    ['a tag', '<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)&gt;</p>'],
    ['quotes and ampersands', `"it's" & co`, '<p>&quot;it&#39;s&quot; &amp; co</p>'],
    ['a number', 0, '<p>0</p>'],
    ['null, undefined and false render nothing', null, '<p></p>'],
    ['a nested fragment stays markup', html`<b>${'<i>'}</b>`, '<p><b>&lt;i&gt;</b></p>'],
    ['an array, item by item', ['<a>', html`<br>`], '<p>&lt;a&gt;<br></p>'],
    ['raw() is used as it is', raw('<em>x</em>'), '<p><em>x</em></p>'],
    ['a fragment-looking object is still escaped', { toString: () => '<b>' }, '<p>&lt;b&gt;</p>'],
  ];
  for (const [name, value, want] of rows)
    it(name, () => {
      expect(String(html`<p>${value}</p>`)).toBe(want);
    });

  it('escapes inside attribute values', () => {
    expect(String(html`<input value="${'"><script>x</script>'}">`)).toBe(
      '<input value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">',
    );
  });
});

describe('setHtml', () => {
  it('writes a fragment and refuses a plain string', () => {
    const el = { innerHTML: '' };
    setHtml(el, html`<p>${'<b>'}</p>`);
    expect(el.innerHTML).toBe('<p>&lt;b&gt;</p>');
    expect(() => setHtml(el, '<img src=x onerror=alert(1)>')).toThrow(TypeError);
    expect(el.innerHTML).toBe('<p>&lt;b&gt;</p>');
  });

  it('is the only writer of markup in web/: no other innerHTML, outerHTML, insertAdjacentHTML or document.write', () => {
    const offenders = readdirSync('web')
      .filter((f) => f.endsWith('.js') || f.endsWith('.html'))
      .filter((f) => f !== 'html.js')
      .flatMap((f) =>
        readFileSync(join('web', f), 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `web/${f}:${i + 1}`, line }))
          .filter(({ line }) => /innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(line)),
      );
    expect(offenders).toEqual([]);
  });
});
