// How the page writes numbers, in one place.

/** Thousands separators, as people read them: 78,498. */
export const fmt = new Intl.NumberFormat("en-US");

/** Milliseconds as seconds with two decimals, as the article prints them. */
export const seconds = (ms) => (ms / 1000).toFixed(2);

/** Milliseconds as seconds to the millisecond, with the unit: 2140.4 → "2.140 s". */
export const inSeconds = (ms) => `${(ms / 1000).toFixed(3)} s`;

/** Bytes as MiB with one decimal. */
export const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** "1 worker", "2 workers": a count with its noun, `many` where the plural is irregular. */
export const plural = (n, one, many = `${one}s`) => `${fmt.format(n)} ${n === 1 ? one : many}`;

/** A fraction as a whole percentage: 0.874 → "87%". */
export const percent = (fraction) => `${Math.round(100 * fraction)}%`;

/** The text with its first letter in upper case. */
export const capitalize = (text) => `${text[0].toUpperCase()}${text.slice(1)}`;
