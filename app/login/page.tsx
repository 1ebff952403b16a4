import type { Metadata } from "next";
import { LoginForm } from "@/components/friends/login-form";
import { adminMode } from "@/lib/admin/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · Conference Camera", robots: { index: false } };

/** Only same-site paths: `next` never sends the admin to another origin. */
function safeNext(value: string | string[] | undefined): string {
  const v = Array.isArray(value) ? value[0] : value;
  return v && /^\/(friends|debug)(\/[\w/-]*)?$/.test(v) ? v : "/friends";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  return (
    <main className="flex min-h-dvh items-center justify-center bg-neutral-950 p-5">
      <LoginForm next={next} open={adminMode() === "open"} />
    </main>
  );
}
