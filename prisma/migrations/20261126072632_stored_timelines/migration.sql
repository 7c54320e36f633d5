-- AlterTable
ALTER TABLE "commits" ADD COLUMN     "timeline_gen" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "commit_timelines" (
    "commit_id" BIGINT NOT NULL,
    "gen" BIGINT NOT NULL,
    "links_key" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "built_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commit_timelines_pkey" PRIMARY KEY ("commit_id")
);

-- AddForeignKey
ALTER TABLE "commit_timelines" ADD CONSTRAINT "commit_timelines_commit_id_fkey" FOREIGN KEY ("commit_id") REFERENCES "commits"("id") ON DELETE CASCADE ON UPDATE CASCADE;

