// The header's account menu: who is signed in, their roles, admin pages for admins, sign-out.
// Renders nothing when nobody is signed in (the sign-in page).
import { currentUser } from "@/lib/auth/current-user";
import { UserMenuPanel } from "./user-menu-panel";

export async function UserMenu() {
  const user = await currentUser();
  if (!user) return null;
  return (
    <UserMenuPanel
      name={user.name}
      email={user.email}
      roles={user.roles}
      isAdmin={user.roles.includes("admin")}
    />
  );
}
