import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { FriendsDashboard } from "@/components/friends/friends-dashboard";
import { adminMode, isAdmin } from "@/lib/admin/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Friends · Conference Camera", robots: { index: false } };

export default async function FriendsPage() {
  if (!isAdmin(await headers())) redirect("/login?next=/friends");
  return <FriendsDashboard signOut={adminMode() === "password"} />;
}
