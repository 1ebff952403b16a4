/**
 * Resolve when a <video> has a decoded frame on screen, so a cut never shows black.
 * requestVideoFrameCallback where available (Chrome, Safari 15.4+, Firefox 132+);
 * otherwise `playing`/`loadeddata` with a real size, then one animation frame.
 * Returns a cancel function.
 */
type RvfcVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: () => void) => number;
  cancelVideoFrameCallback?: (id: number) => void;
};

export function onFirstFrame(el: HTMLVideoElement, cb: () => void): () => void {
  const v = el as RvfcVideo;
  let done = false;
  let raf = 0;
  let rvfc = 0;
  const fire = () => {
    if (done) return;
    done = true;
    cleanup();
    cb();
  };
  // Events and rVFC race: whichever proves a frame first wins. An element at opacity 0
  // may not be composited, in which case rVFC waits and the events decide.
  const onEvent = () => {
    if (v.videoWidth > 0 && v.readyState >= 2) {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => requestAnimationFrame(fire));
    }
  };
  const events = ["playing", "loadeddata", "resize", "timeupdate"] as const;
  for (const e of events) v.addEventListener(e, onEvent);
  if (typeof v.requestVideoFrameCallback === "function") rvfc = v.requestVideoFrameCallback(fire);
  // Already has a frame (re-run after a strict-mode remount, or the same track again).
  if (!v.paused && v.videoWidth > 0 && v.readyState >= 2) onEvent();

  function cleanup() {
    for (const e of events) v.removeEventListener(e, onEvent);
    cancelAnimationFrame(raf);
    if (rvfc && typeof v.cancelVideoFrameCallback === "function") v.cancelVideoFrameCallback(rvfc);
  }
  return () => {
    done = true;
    cleanup();
  };
}
