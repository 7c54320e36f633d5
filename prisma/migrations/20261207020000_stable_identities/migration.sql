-- Stable identities for approval gates: decisions keyed by the person (not a display string),
-- the provider's username on users, forge usernames on commits, the maker of each API token.

-- AlterTable
ALTER TABLE "commits" ADD COLUMN     "author_username" TEXT,
ADD COLUMN     "pushed_by" TEXT;

-- AlterTable: decisions recorded before this release keep their display string as their key.
ALTER TABLE "decisions" ADD COLUMN     "as_entry" TEXT,
ADD COLUMN     "decider" TEXT;
UPDATE "decisions" SET "decider" = 'legacy:' || "user";
ALTER TABLE "decisions" ALTER COLUMN "decider" SET NOT NULL;

-- DropIndex
DROP INDEX "decisions_gate_id_user_key";

-- CreateIndex
CREATE UNIQUE INDEX "decisions_gate_id_decider_key" ON "decisions"("gate_id", "decider");

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "username" TEXT;

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "created_by_user" TEXT;
