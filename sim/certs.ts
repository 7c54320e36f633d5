// A local CA and a server certificate for the simulators (openssl), so clients verify TLS like against a real cluster.
import { execFile } from "node:child_process";
import { X509Certificate, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface SimCerts {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface CertOptions {
  /** IP SANs (default 127.0.0.1). */
  ips?: string[];
  /** DNS SANs (default localhost). */
  dns?: string[];
  /** Path to the openssl binary (default "openssl" on PATH). */
  openssl?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

async function read(dir: string): Promise<SimCerts> {
  const caFile = path.join(dir, "ca.crt");
  const certFile = path.join(dir, "server.crt");
  const keyFile = path.join(dir, "server.key");
  const [caPem, certPem, keyPem] = await Promise.all(
    [caFile, certFile, keyFile].map((f) => readFile(f, "utf8")),
  );
  return { dir, caFile, certFile, keyFile, caPem, certPem, keyPem };
}

/** Usable: signed by the CA, covers every SAN, and valid for at least another day. */
function usable(c: SimCerts, ips: string[], dns: string[]): boolean {
  try {
    const ca = new X509Certificate(c.caPem);
    const cert = new X509Certificate(c.certPem);
    return (
      cert.verify(ca.publicKey) &&
      Date.parse(cert.validTo) - Date.now() > DAY_MS &&
      ips.every((ip) => cert.checkIP(ip) !== undefined) &&
      dns.every((h) => cert.checkHost(h) !== undefined)
    );
  } catch {
    return false;
  }
}

async function generate(dir: string, ips: string[], dns: string[], openssl: string): Promise<void> {
  const curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const f = (name: string) => path.join(dir, name);
  await run(openssl, [
    "req",
    "-x509",
    ...curve,
    "-keyout",
    f("ca.key"),
    "-out",
    f("ca.crt"),
    "-days",
    "3650",
    "-subj",
    "/CN=shiplog-sim-ca",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await run(openssl, [
    "req",
    ...curve,
    "-keyout",
    f("server.key"),
    "-out",
    f("server.csr"),
    "-subj",
    "/CN=shiplog-sim-server",
  ]);
  const san = [...ips.map((ip) => `IP:${ip}`), ...dns.map((d) => `DNS:${d}`)].join(",");
  await writeFile(
    f("server.ext"),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  await run(openssl, [
    "x509",
    "-req",
    "-in",
    f("server.csr"),
    "-CA",
    f("ca.crt"),
    "-CAkey",
    f("ca.key"),
    "-CAcreateserial",
    "-out",
    f("server.crt"),
    "-days",
    "825",
    "-sha256",
    "-extfile",
    f("server.ext"),
  ]);
}

/**
 * Returns the CA and server certificate in `<dir>/tls`, generating them with openssl when missing,
 * expiring or not covering the SANs. Safe when several processes start at once: each generates
 * into its own directory and the first rename wins.
 */
export async function ensureCerts(dir: string, opts: CertOptions = {}): Promise<SimCerts> {
  const ips = opts.ips ?? ["127.0.0.1"];
  const dns = opts.dns ?? ["localhost"];
  const target = path.join(dir, "tls");
  if (existsSync(path.join(target, "server.key"))) {
    const existing = await read(target).catch(() => undefined);
    if (existing && usable(existing, ips, dns)) return existing;
  }
  await mkdir(dir, { recursive: true });
  const work = path.join(dir, `tls-${process.pid}-${randomBytes(4).toString("hex")}`);
  await mkdir(work, { mode: 0o700 });
  try {
    await generate(work, ips, dns, opts.openssl ?? "openssl");
    const existing = await read(target).catch(() => undefined);
    if (existing && usable(existing, ips, dns)) return existing;
    await rm(target, { recursive: true, force: true });
    try {
      await rename(work, target);
    } catch {
      // another process renamed its directory first: use that one
    }
    return await read(target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
