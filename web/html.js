/**
 * HTML that escapes by default. `html` is a tagged template: every interpolated value is
 * HTML-escaped unless it is itself an `html` fragment (or an array of them, or `raw()` text),
 * so markup can only come from the page's own template literals. `setHtml` is the one way the
 * page writes markup into an element, and it refuses anything that is not a fragment.
 */

/** Text escaped for HTML element content and quoted attribute values. */
export function escapeHtml(s) {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

/** Markup that is already safe: built by `html`, or vouched for with `raw`. */
class SafeHtml {
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

/** One interpolated value as markup: fragments as they are, arrays item by item, the rest escaped; nothing for null, undefined and false. */
function piece(value) {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** The tagged template: html`<p>${text}</p>` escapes `text`. */
export function html(strings, ...values) {
  let s = strings[0];
  for (let i = 0; i < values.length; i++) s += piece(values[i]) + strings[i + 1];
  return new SafeHtml(s);
}

/**
 * Markup used as it is, unescaped: only for fragments built elsewhere that escape their own
 * input (the Markdown renderer, the server's timeline SVG). Rarely the right tool.
 */
export function raw(markup) {
  return new SafeHtml(String(markup));
}

/** Replaces an element's content with a fragment; a plain string is refused. */
export function setHtml(element, fragment) {
  if (!(fragment instanceof SafeHtml)) throw new TypeError('setHtml takes an html`…` fragment');
  element.innerHTML = fragment.text;
}
