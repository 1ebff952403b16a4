import type { ReactNode } from "react";
import { SignOutButton } from "./sign-out-button";

/**
 * The frame of the admin pages (/friends and /debug): a sticky header with the page's
 * name, its live facts, and on the right its links and the sign-out button, then the page.
 */
export function AdminPage({ section, facts, links, signOut, children }: { section: string; facts: ReactNode; links: ReactNode; signOut: boolean; children: ReactNode }) {
  return (
    <div className="min-h-dvh bg-neutral-950 text-neutral-100">
      <header className="sticky top-0 z-10 flex flex-wrap items-center gap-x-4 gap-y-1 border-b border-white/10 bg-neutral-950/95 px-4 py-2 backdrop-blur">
        <h1 className="text-sm font-bold tracking-wide">
          Conference Camera <span className="text-neutral-400">· {section}</span>
        </h1>
        {facts}
        <span className="ml-auto flex items-center gap-3">
          {links}
          {signOut && <SignOutButton />}
        </span>
      </header>
      {children}
    </div>
  );
}
