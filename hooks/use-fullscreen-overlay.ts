"use client";
/**
 * A full-screen view that works everywhere: the Fullscreen API where the browser has
 * it (desktop, Android, iPad), and a fixed overlay covering the page where it does not
 * (iPhone Safari only allows <video> elements to go full screen). The overlay is
 * always rendered while open; the API only hides the browser's own chrome.
 */
import { useCallback, useEffect, useState } from "react";

interface WebkitDocument {
  webkitFullscreenElement?: Element | null;
  webkitExitFullscreen?: () => Promise<void> | void;
}
interface WebkitElement {
  webkitRequestFullscreen?: () => Promise<void> | void;
}

function fullscreenElement(): Element | null {
  return document.fullscreenElement ?? (document as WebkitDocument).webkitFullscreenElement ?? null;
}

export function useFullscreenOverlay(): { open: boolean; enter: () => void; exit: () => void } {
  const [open, setOpen] = useState(false);

  const enter = useCallback(() => {
    setOpen(true);
    const el = document.documentElement as HTMLElement & WebkitElement;
    try {
      const req = el.requestFullscreen?.bind(el) ?? el.webkitRequestFullscreen?.bind(el);
      const p = req?.();
      if (p && typeof p.catch === "function") p.catch(() => undefined);
    } catch {
      // No API or refused: the fixed overlay alone is the full-screen view.
    }
  }, []);

  const exit = useCallback(() => {
    setOpen(false);
    if (!fullscreenElement()) return;
    const doc = document as Document & WebkitDocument;
    try {
      const p = doc.exitFullscreen?.() ?? doc.webkitExitFullscreen?.();
      if (p && typeof p.catch === "function") p.catch(() => undefined);
    } catch {
      // Already left.
    }
  }, []);

  useEffect(() => {
    if (!open) return;
    // Leaving browser full screen (Esc, swipe, back) closes the view too.
    const onChange = () => {
      if (!fullscreenElement()) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("fullscreenchange", onChange);
    document.addEventListener("webkitfullscreenchange", onChange);
    window.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("fullscreenchange", onChange);
      document.removeEventListener("webkitfullscreenchange", onChange);
      window.removeEventListener("keydown", onKey);
    };
  }, [open]);

  return { open, enter, exit };
}
