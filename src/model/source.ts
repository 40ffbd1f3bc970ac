/** Where something stands in a source file (1-based line and column). */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/**
 * An error a student can act on: the text kubectl would print (`message`), the field path
 * (`spec.containers[0].image`), and where it stands in the submitted file.
 */
export interface ManifestError {
  message: string;
  field?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** A real-cluster pitfall that passes in the simulator; never changes a score. */
export interface Warning {
  message: string;
  field?: string;
  line?: number;
}
