// Test stand-in for the "server-only" marker package: tests run outside React Server Components.
export {};
