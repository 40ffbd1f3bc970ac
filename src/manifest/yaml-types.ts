/**
 * The shapes both YAML readers share (the `yaml`-package path in yaml.ts and the fast reader in
 * fastyaml.ts). A leaf module, so the two readers import it and not each other.
 */
/** 1-based line and column. */
export interface Pos {
  line: number;
  column: number;
}

/** Bounds applied while reading YAML. */
export interface YamlLimits {
  maxDocuments: number;
  maxAliases: number;
  maxDepth: number;
  maxScalarLength: number;
  maxNodes: number;
}

/** One non-empty YAML document as JSON, with the position of every field path in it. */
export interface JsonDocument {
  index: number;
  value: unknown;
  start: Pos;
  /** Field path (`spec.containers[0].image`) -> position of its key (or of the list item). */
  positions: Map<string, Pos>;
  /** Keys set twice in one mapping: kubectl keeps the last value without a word (k/k#125885). */
  duplicates: { path: string; pos: Pos }[];
}

/** Why reading stopped: a YAML syntax error or a limit, at a position. */
export interface YamlProblem {
  kind: 'syntax' | 'limit';
  message: string;
  document: number;
  pos: Pos;
}

/** The documents read before the first problem, and that problem if any. */
export interface YamlResult {
  documents: JsonDocument[];
  problem?: YamlProblem;
}
