// How often the live displays redraw while something runs, for every display on the page.

/**
 * In ms: all at once, four times a second. On a 2-core machine every repaint takes CPU time
 * from the workers being measured; redrawing each display on its own timer cost about 8% of
 * a 250 ms process-pool run.
 */
export const LIVE_MS = 250;

/** Calls `redraw` every LIVE_MS until the returned stop() is called. */
export function redrawEvery(redraw) {
  const timer = setInterval(redraw, LIVE_MS);
  return () => clearInterval(timer);
}
