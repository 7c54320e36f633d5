// Runs an embedded Postgres in a process of its own (its package installs exit hooks that would
// decide the exit code of whatever process loads it). Prints "ready" once it accepts connections
// and stops cleanly on SIGTERM/SIGINT. Usage: tsx scripts/lib/embedded-main.ts DATA_DIR PORT
import { startEmbedded } from "./postgres";

const [dataDir, port] = process.argv.slice(2);
const server = await startEmbedded(dataDir, Number(port));
process.stdout.write("ready\n");
const stop = () => void server.stop().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
