"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/** POSTs the sign-out (never a GET link, which any page could trigger) and goes to /login. */
export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      data-testid="sign-out"
      disabled={busy}
      className="h-8 rounded-md px-2.5 text-xs font-semibold text-neutral-300 ring-1 ring-white/10 hover:bg-white/10 hover:text-white disabled:opacity-50"
      onClick={() => {
        setBusy(true);
        void fetch("/api/admin/logout", { method: "POST", cache: "no-store" })
          .catch(() => undefined)
          .finally(() => {
            router.replace("/login");
            router.refresh();
          });
      }}
    >
      Sign out
    </button>
  );
}
