/** Command lines in remediations, which agents run as given: arguments quoted for a POSIX shell. */

/** The argument as is when it holds only characters no shell treats specially, else single-quoted. */
export function shellArg(text: string): string {
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
