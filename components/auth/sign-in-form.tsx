"use client";
// The sign-in card: a single sign-on button when SSO is configured, the demo users' form in
// demo mode, and the reason when signing in failed.
import { signIn } from "next-auth/react";
import { signInErrorMessage } from "@/lib/auth/sign-in-page";
import { useState, type FormEvent } from "react";

type Props = {
  sso: boolean;
  demoUsers: string[];
  callbackUrl: string;
  error: string | null;
};

const input =
  "mt-1 block w-full rounded border border-zinc-300 bg-white px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500 dark:border-zinc-700 dark:bg-zinc-900";
const button =
  "w-full rounded bg-zinc-900 px-3 py-2 text-sm font-medium text-white hover:bg-zinc-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-zinc-500 focus-visible:ring-offset-2 disabled:opacity-60 dark:bg-zinc-100 dark:text-zinc-900 dark:hover:bg-zinc-300";

export function SignInForm({ sso, demoUsers, callbackUrl, error: initialError }: Props) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function signInDemo(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("demo", {
        redirect: false,
        callbackUrl,
        username: String(form.get("username") ?? ""),
        password: String(form.get("password") ?? ""),
      });
      if (!result || result.error) {
        setError(signInErrorMessage(result?.error ?? "") ?? "Signing in failed. Try again.");
        setPending(false);
        return;
      }
      // A full load, so that the header and every server component see the new session.
      window.location.assign(callbackUrl);
    } catch {
      setError("Shiplog did not answer. Check that the server is running and try again.");
      setPending(false);
    }
  }

  return (
    <section
      aria-labelledby="signin-title"
      className="mx-auto mt-8 max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-950"
    >
      <h1 id="signin-title" className="text-xl font-semibold tracking-tight">
        Sign in to Shiplog
      </h1>
      {error && (
        <p
          role="alert"
          className="mt-4 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          {error}
        </p>
      )}
      {sso && (
        <button
          type="button"
          className={`${button} mt-6`}
          onClick={() => void signIn("oidc", { callbackUrl })}
        >
          Sign in with single sign-on
        </button>
      )}
      {sso && demoUsers.length > 0 && (
        <p className="mt-6 text-center text-xs uppercase tracking-wide text-zinc-500">or</p>
      )}
      {demoUsers.length > 0 && (
        <form onSubmit={signInDemo} className="mt-6 space-y-4" aria-label="Demo sign-in">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Demo mode: sign in as {demoUsers.join(", ")} with the password <code>npm run demo</code>{" "}
            printed.
          </p>
          <label className="block text-sm font-medium">
            User name
            <input
              name="username"
              autoComplete="username"
              required
              list="demo-users"
              className={input}
            />
          </label>
          <datalist id="demo-users">
            {demoUsers.map((user) => (
              <option key={user} value={user} />
            ))}
          </datalist>
          <label className="block text-sm font-medium">
            Password
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className={input}
            />
          </label>
          <button type="submit" className={button} disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      )}
      {!sso && demoUsers.length === 0 && (
        <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          No sign-in method is configured. Set <code>AUTH_OIDC_ISSUER</code>,{" "}
          <code>AUTH_OIDC_CLIENT_ID</code> and <code>AUTH_OIDC_CLIENT_SECRET</code> for single
          sign-on; API tokens (<code>npm run token</code>) work without it.
        </p>
      )}
    </section>
  );
}
