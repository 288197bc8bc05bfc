/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Separate build folders let several builds coexist on one machine (e.g. parallel browser-test runs).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native and server-only packages stay outside the server bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "ws"],
  poweredByHeader: false,
};

export default nextConfig;
