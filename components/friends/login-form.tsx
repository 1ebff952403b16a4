"use client";

import { useState, type FormEvent } from "react";

export function LoginForm({ next, open }: { next: string; open: boolean }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/admin/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ password }),
        cache: "no-store",
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      let message = "Sign-in failed.";
      try {
        const body = (await res.json()) as { error?: string; details?: { retryAfterS?: number } };
        if (res.status === 401) message = "Wrong password.";
        else if (res.status === 429) message = `Too many failed tries. Wait ${body.details?.retryAfterS ?? 60} s.`;
        else if (body.error) message = body.error;
      } catch {
        // not JSON
      }
      setError(message);
    } catch {
      setError("The server did not answer.");
    }
    setBusy(false);
  };

  return (
    <form onSubmit={submit} className="w-full max-w-xs rounded-xl bg-neutral-900 p-5 ring-1 ring-white/10" data-testid="login-form">
      <h1 className="text-base font-semibold text-white">Admin sign-in</h1>
      <p className="mt-1 text-xs text-neutral-400">For /friends and /debug.</p>
      {open && (
        <p className="mt-3 rounded-md bg-amber-900/40 p-2 text-xs text-amber-200">
          No ADMIN_PASSWORD is set on this machine, so the admin pages are open.{" "}
          <a className="underline" href={next}>
            Continue
          </a>
        </p>
      )}
      <label className="mt-4 block text-xs font-medium text-neutral-300" htmlFor="admin-password">
        Password
      </label>
      <input
        id="admin-password"
        data-testid="login-password"
        type="password"
        autoComplete="current-password"
        autoFocus
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        className="mt-1 h-10 w-full rounded-md bg-neutral-950 px-3 text-sm text-white ring-1 ring-white/15 focus:ring-2 focus:ring-sky-400 focus:outline-none"
      />
      {error && (
        <p role="alert" data-testid="login-error" className="mt-2 text-xs text-rose-300">
          {error}
        </p>
      )}
      <button
        type="submit"
        data-testid="login-submit"
        disabled={busy || password === ""}
        className="mt-4 h-10 w-full rounded-md bg-white text-sm font-semibold text-neutral-950 hover:bg-neutral-200 disabled:bg-neutral-700 disabled:text-neutral-400"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
