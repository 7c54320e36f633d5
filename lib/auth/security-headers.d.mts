// Types for security-headers.mjs (plain JS so that next.config.js can import it).
export declare function contentSecurityPolicy(options: { dev: boolean }): string;
export declare function securityHeaders(options: {
  dev: boolean;
}): { key: string; value: string }[];
export declare const HSTS_MAX_AGE_S: number;
export declare function strictTransportSecurity(
  authUrl: string | undefined,
): { key: string; value: string } | null;
