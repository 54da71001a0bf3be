/**
 * Text measurement for the generated SVG pictures, which embed no font: an upper bound on how
 * wide a line of sans-serif text is, so that the layout can keep labels from overlapping
 * whatever font the viewer substitutes.
 *
 * Widths are per character class, in em, each at least the advance width of the widest glyph of
 * its class in DejaVu Sans (among the widest common sans-serif fonts, and the default one on
 * Linux); Helvetica and Arial are narrower. Bold text is counted 18% wider, which covers DejaVu
 * Sans Bold. Characters outside printable ASCII count one em.
 */

const NARROW = new Set(" !'(),-./:;I[\\]fijlrt|·");
const EXTRA_WIDE = new Set('mwMW%@…—');
const WIDE = new Set('#&+<=>^~×→');

function charWidth(c: string): number {
  if (NARROW.has(c)) return 0.42;
  if (EXTRA_WIDE.has(c)) return 1;
  if (WIDE.has(c) || (c >= 'A' && c <= 'Z')) return 0.87;
  if (c >= ' ' && c <= '~') return 0.66;
  return 1;
}

/** An upper bound on the width of `text` (unescaped) set in `fontSize` px sans-serif. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) em += charWidth(c);
  return em * fontSize * (bold ? 1.18 : 1);
}

/**
 * Breaks `text` at spaces into lines no wider than `maxWidth` (by {@link textWidth}); a word
 * wider than that gets a line of its own.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textWidth(candidate, fontSize, bold) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = candidate;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** The width of the widest word of `text`, so that a layout can be made at least that wide. */
export function widestWord(text: string, fontSize: number, bold = false): number {
  return Math.max(0, ...text.split(' ').map((w) => textWidth(w, fontSize, bold)));
}
