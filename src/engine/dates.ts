/**
 * Calendar days for effective dates and waiver expiries. The engine reads no clock: the day comes from
 * `facts.now`, always in UTC so that the same facts give the same day on every machine.
 */

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The UTC day (YYYY-MM-DD) of an ISO 8601 timestamp, or undefined when it is not one. A timestamp without
 * an offset is read as UTC rather than local time, which would differ between machines.
 */
export function utcDay(timestamp: string): string | undefined {
  const match = ISO_TIMESTAMP.exec(timestamp);
  if (!match) return undefined;
  const withOffset =
    match[1] !== undefined ? timestamp : `${timestamp.length === 10 ? `${timestamp}T00:00` : timestamp}Z`;
  const ms = Date.parse(withOffset);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().slice(0, 10);
}
