-- DropIndex
DROP INDEX "resources_cluster_kind_namespace_name_idx";

-- DropIndex
DROP INDEX "resources_manifests_revision_idx";

-- AlterTable
ALTER TABLE "resources" DROP COLUMN "manifests_revision",
ADD COLUMN     "image_tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "key" TEXT NOT NULL,
ADD COLUMN     "manifests_revisions" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "observation" JSONB NOT NULL,
ADD COLUMN     "parent_key" TEXT;

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "events_at_idx" ON "events"("at");

-- CreateIndex
CREATE INDEX "resources_cluster_key_idx" ON "resources"("cluster", "key");

-- CreateIndex
CREATE INDEX "resources_cluster_parent_key_idx" ON "resources"("cluster", "parent_key");

-- CreateIndex
CREATE INDEX "resources_image_tags_idx" ON "resources" USING GIN ("image_tags");

-- CreateIndex
CREATE INDEX "resources_manifests_revisions_idx" ON "resources" USING GIN ("manifests_revisions");

-- CreateIndex
CREATE INDEX "artifacts_tags_idx" ON "artifacts" USING GIN ("tags");


