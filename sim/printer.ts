// What `npm run sim` prints of the simulator's log: commits and problems, one line each; a
// repeated warning is shown once a minute at most. Harbor webhooks given up on while Shiplog was
// not listening yet (the pushes of the starting images, sent before the app has started) are held
// and told as one line once it answers: they are expected, and Shiplog's reconcile poll of Harbor
// finds those artifacts anyway. Other webhooks held are warned about then, as ever.
import type { LogEntry } from "./controllers/clock";

export type Printer = {
  log(entry: LogEntry): void;
  /** Until settle(): webhooks given up on are held, not warned about yet. */
  hold(): void;
  /**
   * Ends hold(). When the receiver answered: one line for the Harbor webhooks held, the usual
   * warning for any other. When it never did: the usual warnings for all.
   */
  settle(receiver: string, answered: boolean): void;
};

export function createPrinter(write: (line: string) => void, now = () => Date.now()): Printer {
  const last = new Map<string, number>();
  let holding = false;
  const held: LogEntry[] = [];

  const print = (e: LogEntry) => {
    if (e.level === "debug") return;
    if (e.msg === "commit") {
      write(`commit ${String(e.app)} ${String(e.sha).slice(0, 8)} ${String(e.title)}`);
      return;
    }
    if (e.level === "info" || e.msg === "webhook attempt failed") return;
    if (e.msg === "webhook given up") {
      if (holding) {
        held.push(e);
        return;
      }
      e = {
        level: "warn",
        msg: "webhook not delivered (is the receiver up?)",
        url: e.url,
        type: e.type,
      };
    }
    const key = `${e.msg} ${String(e.url ?? "")}`;
    const at = now();
    const shown = last.get(key);
    if (shown !== undefined && shown > at - 60_000) return;
    last.set(key, at);
    const { level, msg, ...rest } = e;
    write(`${level}: ${msg} ${JSON.stringify(rest)}`);
  };

  return {
    log: print,
    hold() {
      holding = true;
    },
    settle(receiver, answered) {
      holding = false;
      const entries = held.splice(0);
      const harbor = answered
        ? entries.filter((e) => String(e.url).endsWith("/api/webhooks/harbor"))
        : [];
      for (const e of entries) if (!harbor.includes(e)) print(e);
      if (harbor.length === 0) return;
      const n = harbor.length;
      write(
        `${n} Harbor webhook${n === 1 ? "" : "s"} went undelivered before ${receiver} answered ` +
          "(the starting images); Shiplog's reconcile poll of Harbor finds those artifacts",
      );
    },
  };
}
