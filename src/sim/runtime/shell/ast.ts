/** The syntax tree of the busybox-ash subset that podlab's shell runs. */

/** One piece of a word; `quoted` pieces are not field-split nor glob-expanded. */
export type WordPart =
  | { k: 'lit'; v: string; quoted: boolean }
  | { k: 'param'; name: string; quoted: boolean; op?: ParamOp; arg?: Word }
  | { k: 'cmdsub'; body: List; quoted: boolean }
  | { k: 'arith'; expr: Word; quoted: boolean };

/** `${name<op>arg}` operators (POSIX parameter expansion); `len` is `${#name}`. */
export type ParamOp = ':-' | '-' | ':=' | '=' | ':+' | '+' | ':?' | '?' | '#' | '##' | '%' | '%%' | 'len';

/** A word: its pieces, concatenated before field splitting. */
export type Word = WordPart[];

/** A redirection; `fd` is the descriptor redirected (default 1 for `>`, 0 for `<`). */
export interface Redir {
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<&' | '<<';
  target: Word;
  /** For `<<`: the here-document body, already read. */
  body?: Word;
}

/** A command of any shape. */
export type Command =
  | { k: 'simple'; assigns: { name: string; value: Word }[]; words: Word[]; redirs: Redir[]; line: number }
  | { k: 'pipeline'; neg: boolean; cmds: Command[] }
  | { k: 'andor'; first: Command; rest: { op: '&&' | '||'; cmd: Command }[] }
  | { k: 'if'; clauses: { cond: List; body: List }[]; otherwise?: List; redirs: Redir[] }
  | { k: 'loop'; until: boolean; cond: List; body: List; redirs: Redir[] }
  | { k: 'for'; name: string; items?: Word[]; body: List; redirs: Redir[] }
  | { k: 'case'; word: Word; arms: { patterns: Word[]; body: List }[]; redirs: Redir[] }
  | { k: 'group'; body: List; subshell: boolean; redirs: Redir[] }
  | { k: 'func'; name: string; body: Command };

/** Commands separated by `;`, `&` or newlines; `bg` marks those ended by `&`. */
export interface List {
  items: { cmd: Command; bg: boolean }[];
}
