// What a browser does against a Shiplog replica, for the replicas test: sign a demo user in
// through next-auth's credentials callback (as e2e/fixtures.ts does), call the API with the
// session cookie, and follow the live events (/api/v1/events) the way EventSource does —
// reconnecting with Last-Event-ID if the stream ends — keeping every event with when it came.

export type ReceivedEvent = { id: bigint; type: string; data: unknown; at: number };

/** The session cookie (name=value) of `user`, signed in at `base`. */
export async function signIn(base: string, user: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const response = await fetch(`${base}/api/auth/callback/demo`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookies.join("; "),
      origin: base,
    },
    body: new URLSearchParams({ csrfToken, username: user, password, json: "true" }),
  });
  const session = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`signing ${user} in failed (HTTP ${response.status})`);
  return session;
}

export type EventFollower = {
  readonly events: ReceivedEvent[];
  /** How many times the stream ended and was opened again. */
  readonly reconnects: number;
  close(): void;
};

/** Follows `${base}/api/v1/events` until closed; resolves once the first stream is open. */
export async function followEvents(base: string, cookie: string): Promise<EventFollower> {
  const abort = new AbortController();
  const events: ReceivedEvent[] = [];
  let reconnects = 0;
  let isOpen = false;
  let opened: () => void = () => {};
  let failed: (err: unknown) => void = () => {};
  const open = new Promise<void>((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });

  const readStream = async () => {
    const lastId = events.at(-1)?.id;
    const response = await fetch(`${base}/api/v1/events`, {
      headers: { cookie, ...(lastId !== undefined ? { "last-event-id": String(lastId) } : {}) },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
    isOpen = true;
    opened();
    const decoder = new TextDecoder();
    let buffer = "";
    const reader = response.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of frame.split("\n")) {
          const colon = line.indexOf(": ");
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
        }
        const id = fields.get("id");
        if (id === undefined) continue; // the greeting, a heartbeat
        events.push({
          id: BigInt(id),
          type: fields.get("event") ?? "message",
          data: JSON.parse(fields.get("data") ?? "null"),
          at: Date.now(),
        });
      }
    }
  };

  void (async () => {
    while (!abort.signal.aborted) {
      await readStream().catch((err: unknown) => {
        if (!isOpen) failed(err);
      });
      if (abort.signal.aborted || !isOpen) break;
      reconnects += 1;
      // EventSource waits the `retry:` the server sent (2 s) before it connects again.
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  await open;
  return {
    events,
    get reconnects() {
      return reconnects;
    },
    close: () => abort.abort(),
  };
}
