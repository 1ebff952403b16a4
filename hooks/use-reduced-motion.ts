"use client";
/** True when the viewer asked their system for less motion: a dissolve then cuts. */
import { useSyncExternalStore } from "react";

const QUERY = "(prefers-reduced-motion: reduce)";

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(QUERY);
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
}

export function useReducedMotion(): boolean {
  // The server (and the first client render) renders no motion preference: a cut is
  // always safe, and the real preference applies from hydration on.
  return useSyncExternalStore(subscribe, () => window.matchMedia(QUERY).matches, () => false);
}
