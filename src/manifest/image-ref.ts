/**
 * The image reference grammar the API server reads a container image with when it defaults
 * `imagePullPolicy`: k/k pkg/util/parsers.ParseImageName, which calls
 * github.com/distribution/reference.ParseNormalizedNamed and then go-digest's validation.
 */

/** The tag and digest of a parsed reference (each absent when the reference has none). */
export interface ImageReference {
  tag?: string;
  digest?: string;
}

// reference.NameTotalLengthMax: the normalised name (`docker.io/library/busybox`) is at most 255
// characters; with a tag (<= 128) and a sha512 digest (135) no valid input is longer than 520.
const NAME_TOTAL_LENGTH_MAX = 255;
const MAX_REFERENCE_LENGTH = 520;

// distribution/reference regexp.go: domain[:port] / path-component(/path-component)* [:tag] [@digest].
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE = new RegExp(
  `^(${HOST}(?::[0-9]+)?/${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);
// anchoredIdentifierRegexp: a bare image ID is refused as a name.
const IDENTIFIER = /^[a-f0-9]{64}$/;
// go-digest: the algorithms Kubernetes registers (crypto/sha256, crypto/sha512) and their hex length.
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** splitDockerDomain: the registry part and the rest, Docker Hub names canonicalised. */
function splitDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { domain: 'docker.io', remainder: `library/${name}` };
  const first = name.slice(0, slash);
  let domain = 'docker.io';
  let remainder = name;
  if (first === 'index.docker.io') {
    remainder = name.slice(slash + 1);
  } else if (first === 'localhost' || /[.:]/.test(first) || first.toLowerCase() !== first) {
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = `library/${remainder}`;
  return { domain, remainder };
}

/** go-digest Digest.Validate for the algorithms the API server links in. */
function validDigest(digest: string): boolean {
  const colon = digest.indexOf(':');
  const hexLength = DIGEST_HEX_LENGTH[digest.slice(0, colon)];
  const hex = digest.slice(colon + 1);
  return hexLength !== undefined && hex.length === hexLength && /^[a-f0-9]+$/.test(hex);
}

/** ParseNormalizedNamed: the reference's tag and digest, or undefined when it does not parse. */
export function parseImageReference(image: string): ImageReference | undefined {
  if (image.length > MAX_REFERENCE_LENGTH || IDENTIFIER.test(image)) return undefined;
  const { domain, remainder } = splitDomain(image);
  const colon = remainder.indexOf(':');
  const repository = colon === -1 ? remainder : remainder.slice(0, colon);
  if (repository.toLowerCase() !== repository) return undefined;
  const m = REFERENCE.exec(`${domain}/${remainder}`);
  if (!m || m[1]!.length > NAME_TOTAL_LENGTH_MAX) return undefined;
  const tag = m[2];
  const digest = m[3];
  if (digest !== undefined && !validDigest(digest)) return undefined;
  return { ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
