// /signin: single sign-on when it is configured, the demo users' form in demo mode.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { currentUser } from "@/lib/auth/current-user";
import { DEMO_USER_NAMES } from "@/lib/auth/demo-users";
import { safeCallbackPath, signInErrorMessage } from "@/lib/auth/sign-in-page";
import { config } from "@/lib/config";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const { auth, demo } = config();
  return (
    <SignInForm
      sso={auth.oidc !== undefined}
      demoUsers={demo.enabled ? DEMO_USER_NAMES : []}
      callbackUrl={callbackUrl}
      error={signInErrorMessage(params.error)}
    />
  );
}
