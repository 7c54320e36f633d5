import type { Metadata, Viewport } from "next";
import { Suspense, type ReactNode } from "react";
import { currentUser } from "@/lib/auth/current-user";
import { listApps, type AppListing } from "@/lib/db/commits";
import { log } from "@/lib/log";
import { THEME_SCRIPT } from "@/lib/ui/theme";
import { Providers } from "@/components/providers";
import { SiteHeader } from "@/components/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Shiplog", template: "%s · Shiplog" },
  description: "One timeline per commit: builds, images, scans, pipelines, approvals and deploys.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

/** The header's app switcher; a database that does not answer must not take every page down. */
async function headerApps(): Promise<AppListing[]> {
  try {
    return await listApps();
  } catch (err) {
    log.warn({ err }, "the header could not list apps");
    return [];
  }
}

/** This request's render time: the browser hydrates relative times against it, not its own clock. */
function renderedAt(): number {
  return Date.now();
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const apps = user ? await headerApps() : null;
  return (
    // The theme script sets the class and color-scheme before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-zinc-50 font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:text-sm dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <Providers live={user !== null} renderedAt={renderedAt()}>
          <Suspense>
            <SiteHeader apps={apps} />
          </Suspense>
          <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
