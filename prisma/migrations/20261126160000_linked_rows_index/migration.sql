-- The commit_id index of artifacts holds linked artifacts only. Reads look artifacts up by their
-- commit, and an artifact waiting for one is found by its digest or revision, never by the missing
-- commit. Registries hold many artifacts that no commit of a watched app ever claims (base images,
-- other teams' images): with them in the index, the planner could take "commit_id IS NULL" for a
-- handful of rows (it has no statistics on a young database) and rescan every waiting artifact for
-- each artifact a batch links. The datamodel cannot express a partial index: it lives here, and
-- the migrations test checks it.
DROP INDEX "artifacts_commit_id_idx";
CREATE INDEX "artifacts_commit_id_idx" ON "artifacts" ("commit_id") WHERE "commit_id" IS NOT NULL;
