/**
 * `text` with its generated section, from the `start` marker to the `end` marker, replaced by
 * `section` (which carries both markers). Throws when a marker is missing.
 */
export function replaceSection(text: string, start: string, end: string, section: string): string;
