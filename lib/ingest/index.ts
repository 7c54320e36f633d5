// The ingest entry points the routes and the server start-up use, bound to this process's
// configuration and database pool.
import { config } from "../config";
import { pool } from "../db/pool";
import { ingest, type Incoming } from "./store";
import { receiveGit, receiveHarbor } from "./webhooks";

const save = (batch: Incoming[]) => ingest(pool(), batch);

export function harborWebhook(request: Request) {
  return receiveHarbor(request, config().harborWebhookSecret, save);
}

export function gitWebhook(request: Request) {
  return receiveGit(request, config().gitWebhookSecret, save);
}
