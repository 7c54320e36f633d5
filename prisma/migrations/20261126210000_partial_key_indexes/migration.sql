-- The correlation keys of resources are indexed only where a row has one. Most rows have none of
-- a given key: only TaskRuns have a parent, only Builds a revision, few rows an image tag, and
-- Builds still running no digest. Rows without the key were index entries that no lookup can
-- match (a NULL or an empty array), written and rewritten with every version of every object.
-- The commit_id index holds linked rows only, as that of artifacts does: a row waiting for its
-- commit is found by its keys, and reads look rows up by the commit they are on.
-- Lookups by equality imply the key is there, and the array lookups say so (digests <> empty),
-- so the planner uses these indexes as before. The datamodel cannot express a partial index: they
-- live here, and the migrations test checks them.
DROP INDEX "resources_cluster_parent_key_idx";
CREATE INDEX "resources_cluster_parent_key_idx" ON "resources" ("cluster", "parent_key") WHERE "parent_key" IS NOT NULL;
DROP INDEX "resources_revision_idx";
CREATE INDEX "resources_revision_idx" ON "resources" ("revision") WHERE "revision" IS NOT NULL;
DROP INDEX "resources_digests_idx";
CREATE INDEX "resources_digests_idx" ON "resources" USING GIN ("digests") WITH (fastupdate = off) WHERE "digests" <> '{}';
DROP INDEX "resources_image_tags_idx";
CREATE INDEX "resources_image_tags_idx" ON "resources" USING GIN ("image_tags") WITH (fastupdate = off) WHERE "image_tags" <> '{}';
DROP INDEX "resources_manifests_revisions_idx";
CREATE INDEX "resources_manifests_revisions_idx" ON "resources" USING GIN ("manifests_revisions") WITH (fastupdate = off) WHERE "manifests_revisions" <> '{}';
DROP INDEX "resources_commit_id_idx";
CREATE INDEX "resources_commit_id_idx" ON "resources" ("commit_id") WHERE "commit_id" IS NOT NULL;
