-- Sessions that end on the server: each user's session version (sign-out, a change of roles and
-- disabling raise it, which ends every session sealed with an older one) and when an
-- administrator disabled them.

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "disabled_at" TIMESTAMP(3),
ADD COLUMN     "session_version" INTEGER NOT NULL DEFAULT 0;
