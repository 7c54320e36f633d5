// The optional chat notification: a Slack-compatible `{ text }` POSTed to SHIPLOG_GATE_WEBHOOK_URL
// when a gate opens. Fire and forget: a failure is logged and never holds up the gate.
import type { Gate } from "./store";

type Logger = { warn(fields: object, message: string): void };

/** The message text: what waits, for which commit and environment, who may decide. */
export function gateText(gate: Gate): string {
  const what = gate.app && gate.sha ? `${gate.app} ${gate.sha.slice(0, 7)}` : gate.resource.name;
  const where = gate.environment ? ` to ${gate.environment}` : "";
  const who = gate.approvers.length ? gate.approvers.join(", ") : "anyone with the approver role";
  const message = gate.message ? `: ${gate.message}` : "";
  return `Approval needed for ${what}${where}${message} (approvers: ${who}; ${gate.minApprovals} needed)`;
}

export function gateNotifier(
  url: string | undefined,
  log: Logger,
  send: typeof fetch = fetch,
): ((gate: Gate) => void) | undefined {
  if (!url) return undefined;
  return (gate) => {
    void send(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: gateText(gate) }),
      signal: AbortSignal.timeout(5000),
    })
      .then((res) => {
        if (!res.ok)
          log.warn({ gate: gate.id, status: res.status }, "gate webhook refused the notification");
      })
      .catch((err: unknown) =>
        log.warn({ gate: gate.id, err: String(err) }, "gate webhook failed"),
      );
  };
}
