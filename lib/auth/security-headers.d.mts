// Types for security-headers.mjs (plain JS so that next.config.js can import it).
export declare function contentSecurityPolicy(options: { dev: boolean }): string;
export declare function securityHeaders(options: {
  dev: boolean;
}): { key: string; value: string }[];
