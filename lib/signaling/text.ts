/**
 * How the server cleans the text it accepts (names, statuses, chat), without zod: the
 * browser uses it too, to know what its own message will read once stamped.
 */

// Bidi overrides and isolates can make a name render as someone else's; C0/C1 controls are noise.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\n\t\r]/g;

/** Text as plainText keeps it: controls removed, trimmed; line breaks and tabs kept only in multiline text. */
export function cleanText(text: string, multiline: boolean): string {
  const cleaned = text.replace(CONTROL_CHARS, '');
  return (multiline ? cleaned : cleaned.replace(LINE_BREAKS, ' ')).trim();
}
