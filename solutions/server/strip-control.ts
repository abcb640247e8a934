// Lesson 9: no user may drive another user's terminal. ESC (U+001B) starts the
// sequences that clear screens and retitle windows; C1 controls (U+0080–U+009F)
// can do the same on some terminals. Remove all control characters.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}
