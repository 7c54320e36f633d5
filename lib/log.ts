// The one logger: structured JSON lines (pino). Fields first, message last.
import pino from "pino";
import { config } from "./config";

function level(): string {
  try {
    return config().logLevel;
  } catch {
    return "info";
  }
}

export const log = pino({
  level: level(),
  base: { service: "shiplog" },
  redact: {
    paths: [
      "password",
      "token",
      "secret",
      "authorization",
      "*.password",
      "*.token",
      "*.authorization",
    ],
    censor: "[redacted]",
  },
});
