"use client";
/**
 * A localStorage value as an external store: null on the server and during hydration,
 * the stored string afterwards. Reading it this way (not in an effect) keeps the first
 * client render identical to the server's.
 */
import { useSyncExternalStore } from "react";
import { readStored } from "@/lib/client/prefs";

function subscribe(notify: () => void): () => void {
  window.addEventListener("storage", notify);
  return () => window.removeEventListener("storage", notify);
}

export function useStored(key: string): string | null {
  return useSyncExternalStore(
    subscribe,
    () => readStored(key),
    () => null,
  );
}

const noopSubscribe = () => () => {};

/** False during SSR and hydration, true once running in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
}
