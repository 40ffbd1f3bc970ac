/**
 * Shared pieces of API validation: value readers for decoded JSON, and the helpers of
 * k8s.io/apimachinery/pkg/util/validation (validation.go, ip.go) and
 * k8s.io/apimachinery/pkg/api/validation/objectmeta.go (names, labels, annotations, ports, IPs).
 */
import { type FieldError, forbidden, goQuote, invalid, required, tooLong } from '../../errors/field.ts';
import type { Warning } from '../../model/source.ts';

/** A decoded JSON object. */
export type Obj = Record<string, unknown>;

/** Validation outcome: causes in the API server's order, plus warnings. */
export interface ValidationResult {
  errors: FieldError[];
  warnings: Warning[];
}

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}
export function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map((x) => obj(x) ?? {}) : [];
}
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
/** A Go pointer that is set: JSON `null` decodes to nil, like an absent field. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

// ---- k8s.io/apimachinery/pkg/util/validation (validation.go) ----

/** RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += `'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}
export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const re = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const DNS1123_LABEL_RE = re(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN_RE = re(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL_RE = re(DNS1035_LABEL_FMT);
const QNAME_RE = re(QNAME_FMT);
const LABEL_VALUE_RE = re(LABEL_VALUE_FMT);

/** IsDNS1123Label messages. */
export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL_RE.test(v)) {
    // It is a valid subdomain but not a label: the length was checked, so it must be dots.
    if (DNS1123_SUBDOMAIN_RE.test(v)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsDNS1123Subdomain messages. */
export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(v))
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** IsDNS1035Label messages. */
export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL_RE.test(v))
    errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** IsQualifiedName messages (label keys, annotation keys). */
export function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QNAME_RE.test(name))
    errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** IsValidLabelValue messages. */
export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(v))
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** IsValidPortNum messages. */
export function isValidPortNum(p: number): string[] {
  return p >= 1 && p <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** IsValidPortName messages (IANA_SVC_NAME). */
export function isValidPortName(p: string): string[] {
  const errs: string[] = [];
  if (p.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(p))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(p)) errs.push('must contain at least one letter (a-z)');
  if (p.includes('--')) errs.push('must not contain consecutive hyphens');
  if (p.length > 0 && (p.startsWith('-') || p.endsWith('-')))
    errs.push('must not begin or end with a hyphen');
  return errs;
}

export const NEGATIVE = 'must be greater than or equal to 0';

export function each(field: string, value: string, msgs: string[]): FieldError[] {
  return msgs.map((m) => invalid(field, value, m));
}

/** ValidateLabels: keys are qualified names, values label values (document order). */
export function validateLabels(labels: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  const m = obj(labels);
  if (!m) return out;
  for (const [k, v] of Object.entries(m)) {
    out.push(...each(field, k, isQualifiedName(k)));
    out.push(...each(field, str(v), isValidLabelValue(str(v))));
  }
  return out;
}

/** ValidateAnnotations: keys are qualified names (lower-cased), total size at most 256 KiB. */
export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  const m = obj(annotations);
  if (!m) return out;
  let size = 0;
  for (const [k, v] of Object.entries(m)) {
    out.push(...each(field, k, isQualifiedName(k.toLowerCase())));
    size += k.length + str(v).length;
  }
  if (size > 262144) out.push(tooLong(field, 262144));
  return out;
}

export function validateObjectMeta(meta: Obj, nameFn: (v: string) => string[]): FieldError[] {
  const out: FieldError[] = [];
  const generateName = str(meta.generateName);
  if (generateName !== '') {
    // The name validators run on the prefix with the trailing '-' allowed (maskTrailingDash).
    const masked =
      generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName;
    out.push(...each('metadata.generateName', generateName, nameFn(masked)));
  }
  const name = str(meta.name);
  if (name === '') out.push(required('metadata.name', 'name or generateName is required'));
  else out.push(...each('metadata.name', name, nameFn(name)));
  const ns = str(meta.namespace);
  if (ns === '') out.push(required('metadata.namespace'));
  else out.push(...each('metadata.namespace', ns, isDNS1123Label(ns)));
  out.push(...validateLabels(meta.labels, 'metadata.labels'));
  out.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return out;
}

/** ValidatePortNumOrName: an int-or-string port. */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'string') return each(field, port, isValidPortName(port));
  const n = num(port);
  return isValidPortNum(n).map((m) => invalid(field, n, m));
}

/** ValidateLabelName: a label key as a qualified name, one Invalid cause per message. */
export function validateLabelName(key: string, field: string): FieldError[] {
  return each(field, key, isQualifiedName(key));
}

/**
 * ValidateLabelSelector (apimachinery meta/v1/validation): matchLabels, then each
 * matchExpressions requirement (operator, key, values).
 */
export function validateLabelSelector(selector: unknown, field: string): FieldError[] {
  const sel = obj(selector);
  if (!sel) return [];
  const out = validateLabels(sel.matchLabels, `${field}.matchLabels`);
  list(sel.matchExpressions).forEach((req, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const values = Array.isArray(req.values) ? req.values.map(str) : [];
    const op = str(req.operator);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0)
        out.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0)
        out.push(
          forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
    } else {
      out.push(invalid(`${p}.operator`, op, 'not a valid selector operator'));
    }
    out.push(...validateLabelName(str(req.key), `${p}.key`));
    values.forEach((v, j) => {
      out.push(...each(`${p}.values[${j}]`, v, isValidLabelValue(v)));
    });
  });
  return out;
}

/**
 * netutils.ParseIPSloppy: an IPv4 dotted quad (leading zeros allowed, as Go's old parser did)
 * or an IPv6 address. Returns the family, or undefined when `s` is not an IP.
 */
export function ipFamilyOf(s: string): 'IPv4' | 'IPv6' | undefined {
  if (parseIPv4Sloppy(s)) return 'IPv4';
  return isIPv6(s) ? 'IPv6' : undefined;
}

/** The four bytes of a sloppy dotted quad, or undefined. */
export function parseIPv4Sloppy(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d+$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function isIPv6(s: string): boolean {
  if (!s.includes(':')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] | undefined => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last?.includes('.')) {
    if (!parseIPv4Sloppy(last)) return false;
    all.pop();
    count += 1; // an embedded IPv4 address takes two groups
  }
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** validation.IsValidIP (apimachinery ip.go, 1.33: ParseIPSloppy, StrictIPCIDRValidation off). */
export function validateIP(value: string, field: string): FieldError[] {
  if (ipFamilyOf(value)) return [];
  return [invalid(field, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** Go's `%#v` of a []string, as field.Error prints a list value. */
export function goStringSlice(values: string[]): { goSyntax: string } {
  return { goSyntax: `[]string{${values.map(goQuote).join(', ')}}` };
}

// ---- paths ----

/** validatePathNoBacksteps: no `..` element. */
export function noBacksteps(p: string, field: string): FieldError[] {
  return p.split('/').includes('..') ? [invalid(field, p, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, without backsteps. */
export function localDescendingPath(p: string, field: string): FieldError[] {
  const out: FieldError[] = [];
  if (p.startsWith('/')) out.push(invalid(field, p, 'must be a relative path'));
  out.push(...noBacksteps(p, field));
  return out;
}

/** ValidateLocalNonReservedPath: a local descending path that does not start with `..`. */
export function localNonReservedPath(p: string, field: string): FieldError[] {
  const out = localDescendingPath(p, field);
  if (p.startsWith('..') && !p.startsWith('../')) out.push(invalid(field, p, "must not start with '..'"));
  return out;
}

/** Go's `%#v` of a map[string]string (keys sorted, as fmt prints maps). */
export function goStringMap(m: Obj | undefined): { goSyntax: string } {
  if (!m) return { goSyntax: 'map[string]string(nil)' };
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(str(m[k]))}`);
  return { goSyntax: `map[string]string{${entries.join(', ')}}` };
}
