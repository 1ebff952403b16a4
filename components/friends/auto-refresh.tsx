"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/** Re-renders the server page every `ms` while on (the /debug view is a snapshot). */
export function AutoRefresh({ ms = 2000 }: { ms?: number }) {
  const router = useRouter();
  const [on, setOn] = useState(true);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => router.refresh(), ms);
    return () => clearInterval(t);
  }, [on, ms, router]);
  return (
    <label className="flex cursor-pointer items-center gap-1.5 text-xs text-neutral-300">
      <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} className="accent-sky-500" />
      refresh every {ms / 1000} s
    </label>
  );
}
