/**
 * Go's `text/tabwriter` column layout (left-aligned, space padding), which kubectl uses for
 * every human-readable output: tab-terminated cells; a column block is a run of consecutive
 * lines that have a cell in that column; each cell is padded to the block's widest cell plus
 * `padding`, at least `minwidth`; the text after a line's last tab is never padded.
 */

/** kubectl get's table writer: `tabwriter.NewWriter(out, 6, 4, 3, ' ', RememberWidths)`. */
export const GET_LAYOUT = { minwidth: 6, padding: 3 } as const;
/** kubectl describe's writer (describe.go tabbedString): `out.Init(buf, 0, 8, 2, ' ', 0)`. */
export const DESCRIBE_LAYOUT = { minwidth: 0, padding: 2 } as const;

const MAX_COLUMNS = 256;

/** Width of a cell as Go's tabwriter counts it: Unicode code points. */
function textWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Lays out `text` (lines separated by `\n`, cells terminated by `\t`) like one tabwriter
 * write followed by Flush. A trailing partial line (no final `\n`) is kept as is.
 */
export function tabwrite(text: string, layout: { minwidth: number; padding: number }): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i]!;
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j]!;
        s += c;
        if (j < widths.length && j < cells.length - 1) {
          const pad = widths[j]! - textWidth(c);
          if (pad > 0) s += ' '.repeat(pad);
        }
      }
      out.push(s);
    }
  };

  const format = (start: number, end: number): void => {
    let line0 = start;
    const column = widths.length;
    // Bound the recursion (one level per column): text with thousands of tabs (a probe's
    // output inside an event message) is written unaligned past this depth instead of
    // overflowing the stack.
    if (column >= MAX_COLUMNS) {
      writeLines(start, end);
      return;
    }
    for (let cur = start; cur < end; cur++) {
      if (column >= lines[cur]!.length - 1) continue;
      // A cell exists in this column: print the lines before the block, then size the block.
      writeLines(line0, cur);
      line0 = cur;
      let width = layout.minwidth;
      for (; cur < end; cur++) {
        const line = lines[cur]!;
        if (column >= line.length - 1) break;
        const w = textWidth(line[column]!) + layout.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, cur);
      widths.pop();
      line0 = cur;
      // `cur` now points at the first line after the block; the loop's cur++ must not skip it.
      cur--;
    }
    writeLines(line0, end);
  };

  format(0, lines.length);
  return out.join('\n');
}

/**
 * kubectl's terminal escaping of printed text (cli-runtime printers.WriteEscaped, issue
 * k/k#101695): ESC becomes `^[` and CR becomes the two characters `\r`.
 */
export function escapeTerminal(s: string): string {
  return s.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}
