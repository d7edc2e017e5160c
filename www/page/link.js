// The page's link, the one place that writes the address bar. The settings travel in the
// query (`?workload=primes&…`), with the page's own parameters (`isolate`, `embed`) kept.
//
// The Python program travels in the fragment (`#py=…`), which
// no server ever sees: a long program in the query made every reload send it to the host, and
// hosts drop long request lines (tools/serve.py's at 64 KB, many far sooner). Links from
// before, with `?py=`, still open, and are moved to the fragment. The text is deflate-raw,
// then base64url; unpacking stops at MAX_PROGRAM_BYTES, so a link that inflates to 100 MiB
// costs the reader at most that.

/** The link parameter that carries the editor's text. */
const PARAM = "py";
/** The most text a link may unpack to: 1 MiB, far beyond any program typed by hand. */
export const MAX_PROGRAM_BYTES = 1024 * 1024;
/** Compressed bytes fed to the inflater at a time: deflate inflates at most ~1,032×. */
const FEED_BYTES = 256;

/** The packed program this page's link carries (fragment first, then an old `?py=`), or null. */
export function programInLink() {
  const fragment = new URLSearchParams(location.hash.slice(1)).get(PARAM);
  return fragment || new URLSearchParams(location.search).get(PARAM) || null;
}

/** Puts `packed` in the link's fragment (and takes an old `?py=` out of the query). */
export function putProgramInLink(packed) {
  const url = new URL(location.href);
  url.searchParams.delete(PARAM);
  const fragment = new URLSearchParams(url.hash.slice(1));
  fragment.set(PARAM, packed);
  url.hash = fragment.toString();
  replaceLink(url.href);
}

/**
 * Puts the settings' `pairs` in the link's query, keeping the page's own parameters
 * (`pageParameters`, the core's list) and the fragment.
 */
export function putSettingsInLink(pairs, pageParameters) {
  const query = new URLSearchParams(pairs);
  const page = new URLSearchParams(location.search);
  for (const name of pageParameters) {
    if (page.get(name)) query.set(name, page.get(name));
  }
  replaceLink(`${location.pathname}?${query}${location.hash}`);
}

function replaceLink(url) {
  try {
    history.replaceState(null, "", url);
  } catch {
    // A sandboxed frame may refuse; what the link would carry still applies, only the
    // address bar cannot show it.
  }
}

/** Text → deflate-raw → base64url, for the link. */
export async function pack(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The inverse of pack(); rejects with a readable reason for a damaged link, and for one that
 * would unpack past MAX_PROGRAM_BYTES before more than that is ever held.
 */
export async function unpack(packed) {
  if (!/^[A-Za-z0-9_-]+$/.test(packed))
    throw new Error("it has characters a program link never has");
  let bytes;
  try {
    const binary = atob(packed.replaceAll("-", "+").replaceAll("_", "/"));
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    throw new Error("it is not valid base64url");
  }
  const inflater = new DecompressionStream("deflate-raw");
  const writer = inflater.writable.getWriter();
  const reader = inflater.readable.getReader();
  // Fed in small pieces, so that no one piece can inflate to much more than the limit.
  const feeding = (async () => {
    for (let at = 0; at < bytes.length; at += FEED_BYTES) {
      await writer.write(bytes.subarray(at, at + FEED_BYTES));
    }
    await writer.close();
  })();
  feeding.catch(() => {}); // its failure is read below, or the reading was cancelled
  const pieces = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_PROGRAM_BYTES) {
        await reader.cancel().catch(() => {});
        throw new RangeError(
          `it would unpack to more than ${MAX_PROGRAM_BYTES / 1024 / 1024} MiB of text, more than a program link may carry`,
        );
      }
      pieces.push(value);
    }
    await feeding;
  } catch (error) {
    if (error instanceof RangeError) throw error;
    throw new Error("it is cut short or damaged");
  }
  return new TextDecoder().decode(await new Blob(pieces).arrayBuffer());
}
