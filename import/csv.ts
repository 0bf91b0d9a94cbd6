/**
 * A small CSV field splitter for the unified-database import (docs/import-unified.md).
 *
 * Why not csv-parse: it costs several seconds per million rows, more than PostgreSQL's own COPY of
 * the same file, and the import has to stay within twice a plain COPY. The format is simple enough
 * for a hand-written splitter: one record per line, comma-separated, RFC 4180 quoting within a line
 * (`"..."`, `""` for a quote). A quoted field may not span lines: akimat exports have none, and a
 * record per line keeps "row N" the line number a person sees in an editor.
 */

/** The fields of one line, or null when its quoting is broken (an unclosed or stray quote). */
export function splitCsvLine(line: string): string[] | null {
  // Fast path: the usual row has no quotes at all.
  if (line.indexOf('"') === -1) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    if (i < n && line.charCodeAt(i) === 34 /* " */) {
      let value = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) return null; // unclosed quote
        value += line.slice(i, q);
        if (line.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === n) return fields;
      if (line.charCodeAt(i) !== 44 /* , */) return null; // text after a closing quote
      i += 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      const value = line.slice(i, end);
      if (value.indexOf('"') !== -1) return null; // a quote inside an unquoted field
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}

/** Quotes a field for a CSV file when it needs it (the rejects report, the generator). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Splits a stream of text chunks into lines (LF or CRLF), carrying a partial last line over to the
 * next chunk. `flush()` returns the final line when the file does not end with a newline.
 */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (let i = 0; i < lines.length; i += 1) {
      const l = lines[i];
      if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
    }
    return lines;
  }

  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    if (last === '' || last === '\r') return [];
    return [last.endsWith('\r') ? last.slice(0, -1) : last];
  }
}
