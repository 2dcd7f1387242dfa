/**
 * Strings compare by UTF-16 code units, never by locale, which would vary between machines: the same
 * facts must always give the same bytes.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
