// Lesson 9: no user may drive another user's terminal. ESC (U+001B) starts the
// sequences that clear screens, move the cursor and retitle windows; BEL, backspace
// and carriage return rewrite or disturb a line; C1 controls (U+0080–U+009F) are
// one-character forms of the same sequences on some terminals. Remove them all.

// Code points, not bytes: U+0080–U+009F is the character range, not bytes 0x80–0x9F
// (in UTF-8, U+009B is the two bytes C2 9B). Accents, emoji and U+00A0 stay.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}
