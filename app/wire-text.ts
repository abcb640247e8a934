// Bytes and text made visible: every newline, control character and invalid byte shown as
// an escape. Used wherever the course shows what crossed the wire (the suites' transcripts,
// the wire tap) and by clients that print what a server sent.

const SHOWN_BYTES = 300;

/** Shows bytes as text with every control character escaped (\n, \u001b); invalid UTF-8 as \xNN. */
export function showBytes(bytes: Buffer): string {
  const cut = bytes.length > SHOWN_BYTES;
  const part = cut ? bytes.subarray(0, SHOWN_BYTES) : bytes;
  let text = '';
  const decoded = part.toString('utf8');
  if (Buffer.from(decoded, 'utf8').equals(part)) {
    text = escapeText(decoded);
  } else {
    for (const byte of part) text += byte >= 0x20 && byte < 0x7f ? escapeText(String.fromCharCode(byte)) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${text}${cut ? ` … (${bytes.length} bytes in all)` : ''}`;
}

export function escapeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\\]/g, (c) => {
    switch (c) {
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      case '\\': return '\\\\';
      default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}
