// Plain JavaScript, for the scripts that generate a section of a README (run with plain node).

/**
 * `text` with its generated section, from the `start` marker to the `end` marker, replaced by
 * `section` (which carries both markers). Throws when a marker is missing.
 * @param {string} text @param {string} start @param {string} end @param {string} section
 */
export function replaceSection(text, start, end, section) {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`README.md lacks the ${start} … ${end} markers`);
  return text.slice(0, from) + section + text.slice(to + end.length);
}
