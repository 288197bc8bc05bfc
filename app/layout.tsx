import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { KeyboardHelp } from "@/components/KeyboardHelp";
import { Logo } from "@/components/Logo";
import { THEME_INIT_SCRIPT, ThemeToggle } from "@/components/toolbar/ThemeToggle";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Wakeline", template: "%s · Wakeline" },
  description: "Trace inspector for serverless actor platforms: wake/sleep cycles as sequence diagrams.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
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
          <Link href="/" className="brand">
            <Logo />
            Wakeline
          </Link>
          <nav aria-label="Main">
            <Link href="/">Runs</Link>
            <Link href="/compare">Compare</Link>
          </nav>
          <ThemeToggle />
          <KeyboardHelp />
        </header>
        <main id="main" className="page">
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
