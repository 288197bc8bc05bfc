import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { KeyboardHelp } from "@/components/KeyboardHelp";
import { Logo } from "@/components/Logo";
import { THEME_INIT_SCRIPT, ThemeToggle } from "@/components/toolbar/ThemeToggle";
import { AccessProvider } from "./_queries/access";
import { parseAccessHeader } from "./_queries/access-header";
import { HeaderSearch } from "./_views/search/HeaderSearch";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Wakeline", template: "%s · Wakeline" },
  description: "Trace inspector for serverless actor platforms: wake/sleep cycles as sequence diagrams.",
  icons: { icon: "/favicon.svg" },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // server.ts says who is asking; a share-link viewer gets no run list, compare or search.
  const access = parseAccessHeader((await headers()).get("x-wakeline-access"));
  const owner = access?.role !== "viewer";
  return (
    // The theme script sets data-theme on <html> before React hydrates it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_INIT_SCRIPT }} />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <Link href={owner || !access?.runId ? "/" : `/runs/${encodeURIComponent(access.runId)}`} className="brand">
            <Logo />
            Wakeline
          </Link>
          {owner && (
            <nav aria-label="Main">
              <Link href="/">Runs</Link>
              <Link href="/compare">Compare</Link>
            </nav>
          )}
          {owner && <HeaderSearch />}
          <ThemeToggle />
          <KeyboardHelp />
        </header>
        <main id="main" className="page">
          <Providers>
            <AccessProvider access={access}>{children}</AccessProvider>
          </Providers>
        </main>
      </body>
    </html>
  );
}
