-- AlterTable
ALTER TABLE "decisions" ADD COLUMN     "applied_at" TIMESTAMP(3),
ADD COLUMN     "as_group" TEXT,
ADD COLUMN     "as_user" TEXT;
