// Text widths in Roboto, the reports' one font, for laying out text the templates draw themselves
// (SVG labels, chart label wrapping): pdfmake measures its own text, but an SVG's <text> is placed
// as given, so a label that is too wide runs into its neighbour. Advance widths in 1/1000 em of
// Roboto-Regular and Roboto-Medium (the bold face), as pdfkit reads them from pdfmake's font files;
// tests/report-templates/text-width.test.ts checks them against the files. Kerning is left out
// (it only ever narrows a line by a fraction of a point).

/** Code points covered: 32..126, 160..255, then the punctuation the reports print. */
const EXTRA = [0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2026, 0x2212, 0x3b1, 0x2022];
const CODES = [...Array.from({ length: 95 }, (_, i) => 32 + i), ...Array.from({ length: 96 }, (_, i) => 160 + i), ...EXTRA];
const REGULAR = [248,258,320,616,562,732,622,175,342,348,431,567,197,276,264,413,562,562,562,562,562,562,562,562,562,562,242,211,508,549,523,473,898,652,623,651,656,568,553,681,713,272,552,627,539,873,713,688,631,688,616,594,597,648,637,887,627,601,599,265,411,265,418,451,309,544,562,523,564,530,348,562,551,243,239,507,243,877,552,570,562,568,339,516,327,551,484,751,496,473,496,338,244,338,680,248,244,547,582,713,525,240,613,418,786,447,469,554,0,786,458,374,535,367,367,313,567,489,261,248,367,455,469,732,776,778,474,652,652,652,652,652,652,935,651,568,568,568,568,272,272,272,272,671,713,688,688,688,688,688,534,688,648,648,648,648,601,591,595,544,544,544,544,544,544,845,523,530,530,530,530,248,248,248,248,586,552,570,570,570,570,570,571,567,551,551,551,551,473,576,473,656,781,200,200,354,357,669,572,565,337];
const MEDIUM = [249,265,319,603,568,736,641,167,346,350,443,555,224,340,278,390,568,568,568,568,568,568,568,568,568,568,264,240,509,563,520,486,897,663,631,653,653,565,551,681,709,283,556,632,540,875,709,689,638,689,629,605,609,654,646,880,631,611,603,271,417,271,429,448,320,539,562,522,563,536,353,567,556,255,251,521,255,871,557,567,562,566,354,515,333,556,496,742,503,490,503,333,249,333,663,249,265,563,588,702,531,246,622,446,786,445,486,552,0,786,481,382,536,370,370,322,594,489,283,259,370,457,486,724,767,795,487,663,663,663,663,663,663,937,653,565,565,565,565,283,283,283,283,667,709,689,689,689,689,689,532,688,654,654,654,654,611,601,615,539,539,539,539,539,539,845,522,536,536,536,536,261,261,261,261,580,557,567,567,567,567,567,571,565,556,556,556,556,490,571,490,642,771,218,216,380,384,708,563,564,350];

function table(widths: number[]): Map<number, number> {
  return new Map(CODES.map((c, i) => [c, widths[i]!]));
}
const FACES = { regular: table(REGULAR), bold: table(MEDIUM) };
/** Width of a character outside the table: a wide letter, so an estimate errs towards wrapping. */
const FALLBACK = 700;

/** Width in pt of `text` set in Roboto at `size` pt (`bold`: Roboto-Medium, the reports' bold). */
export function textWidth(text: string, size: number, bold = false): number {
  const face = bold ? FACES.bold : FACES.regular;
  let units = 0;
  for (const ch of text) units += face.get(ch.codePointAt(0)!) ?? FALLBACK;
  return (units * size) / 1000;
}

/**
 * Breaks text into lines no wider than `maxWidth` pt: at spaces, and after a slash or hyphen inside a
 * word when the word alone is too wide ("economische/ | ecologische"). Never drops text: a single
 * piece wider than the line stays whole on its own line.
 */
export function wrapToWidth(text: string, maxWidth: number, size: number, bold = false): string[] {
  const pieces: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (textWidth(word, size, bold) <= maxWidth) pieces.push(word);
    else pieces.push(...word.split(/(?<=[/-])/).filter(Boolean).map((p, i, all) => (i < all.length - 1 ? `${p}\u0000` : p)));
  }
  // A piece ending in NUL was cut after a slash or hyphen: it joins the next without a space.
  const lines: string[] = [];
  let line = '';
  let glue = '';
  for (const raw of pieces) {
    const piece = raw.replace('\u0000', '');
    const candidate = line ? `${line}${glue}${piece}` : piece;
    if (line && textWidth(candidate, size, bold) > maxWidth) {
      lines.push(line);
      line = piece;
    } else line = candidate;
    glue = raw.endsWith('\u0000') ? '' : ' ';
  }
  if (line) lines.push(line);
  return lines;
}
