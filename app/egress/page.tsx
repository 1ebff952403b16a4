import type { Metadata, Viewport } from "next";
import { EgressLayout } from "@/components/egress/egress-layout";
import { env } from "@/lib/env";

// The page LiveKit Egress records (customBaseUrl). Egress appends `url`, `token` and
// `layout`; the token in the query is the only credential, so the page needs no sign-in
// and shows nothing without one.
export const metadata: Metadata = {
  title: "Program out · Conference Camera",
  robots: { index: false, follow: false },
};

// Rendered per request: PROGRAM_TRANSITION is read from the running server's settings,
// not baked in at build time.
export const dynamic = "force-dynamic";

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#000000" };

export default function EgressPage() {
  return <EgressLayout transition={env().PROGRAM_TRANSITION} />;
}
