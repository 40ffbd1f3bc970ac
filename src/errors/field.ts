/**
 * Field errors as k8s.io/apimachinery/pkg/util/validation/field renders them
 * (`Error.ErrorBody`), and the kubectl texts built from them
 * (k8s.io/kubectl/pkg/cmd/util/helpers.go: checkErr, MultilineError, StandardErrorMessage).
 */

/** A Go value as field.Error prints it: strings `%q`, numbers and booleans `%v`. */
export type BadValue = string | number | boolean | null | { goSyntax: string };

/** One validation cause: `<field>: <body>`. */
export interface FieldError {
  field: string;
  body: string;
}

/** Go's `%q` of a string (close enough for the printable text of manifests). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function showValue(v: BadValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'object') return v.goSyntax;
  return String(v);
}

/** `Required value` (+ `: detail`). */
export function required(field: string, detail = ''): FieldError {
  return { field, body: detail ? `Required value: ${detail}` : 'Required value' };
}

/** `Forbidden: detail`. */
export function forbidden(field: string, detail: string): FieldError {
  return { field, body: detail ? `Forbidden: ${detail}` : 'Forbidden' };
}

/** `Invalid value: <v>: detail`. */
export function invalid(field: string, value: BadValue, detail: string): FieldError {
  return { field, body: `Invalid value: ${showValue(value)}${detail ? `: ${detail}` : ''}` };
}

/** `Duplicate value: <v>`. */
export function duplicate(field: string, value: BadValue): FieldError {
  return { field, body: `Duplicate value: ${showValue(value)}` };
}

/** `Unsupported value: "<v>": supported values: "A", "B"`. */
export function notSupported(field: string, value: BadValue, supported: string[]): FieldError {
  const list = supported.map((s) => goQuote(s)).join(', ');
  return {
    field,
    body: `Unsupported value: ${showValue(value)}${supported.length ? `: supported values: ${list}` : ''}`,
  };
}

/** `Not found: <v>` (field.NotFound). */
export function notFound(field: string, value: BadValue): FieldError {
  return { field, body: `Not found: ${showValue(value)}` };
}

/** `Too long: may not be more than N bytes` (field.TooLong). */
export function tooLong(field: string, max: number): FieldError {
  return { field, body: `Too long: may not be more than ${max} bytes` };
}

/** `<field>: <body>` as the API server's status cause and kubectl print it. */
export function causeText(e: FieldError): string {
  return `${e.field}: ${e.body}`;
}

/**
 * kubectl's text for a 422 Invalid error (checkErr, case IsInvalid): one cause on the same
 * line; two or more as `* cause` lines after `The Kind "name" is invalid: ` (trailing space).
 */
export function invalidText(kind: string, name: string, causes: FieldError[]): string {
  const head = `The ${kind} ${goQuote(name)} is invalid: `;
  if (causes.length === 1) return head + causeText(causes[0]!);
  return [head, ...causes.map((c) => `* ${causeText(c)}`)].join('\n');
}

/**
 * The API server's own message for a 422 (`NewInvalid`): `Kind "name" is invalid: cause` or
 * `Kind "name" is invalid: [c1, c2]`; kubectl prints it when several objects fail at once
 * (`Error from server (Invalid): error when creating "FILE": ...`).
 */
export function serverInvalidMessage(kind: string, name: string, causes: FieldError[]): string {
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const c of causes) {
    const t = causeText(c);
    if (!seen.has(t)) {
      seen.add(t);
      texts.push(t);
    }
  }
  const agg = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
  return `${kind} ${goQuote(name)} is invalid: ${agg}`;
}
