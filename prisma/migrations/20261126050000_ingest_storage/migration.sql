-- Storage tuning for ingest, which the datamodel cannot express (prisma/schema.prisma has the rest).

-- GIN indexes without a pending list: every lookup of a correlation key would otherwise scan
-- the whole unmerged list (ingest searches these indexes several times per batch).
ALTER INDEX "resources_digests_idx" SET (fastupdate = off);
ALTER INDEX "resources_image_tags_idx" SET (fastupdate = off);
ALTER INDEX "resources_manifests_revisions_idx" SET (fastupdate = off);
ALTER INDEX "artifacts_tags_idx" SET (fastupdate = off);

-- Stored objects and observations compress with lz4, several times faster than the default pglz,
-- where the server is built with it (the demo's embedded Postgres is not: it keeps pglz).
-- The migration runner splits at every semicolon, so the block spells its own as \x3B.
DO E'BEGIN ALTER TABLE "resources" ALTER COLUMN "object" SET COMPRESSION lz4, ALTER COLUMN "observation" SET COMPRESSION lz4\x3B EXCEPTION WHEN feature_not_supported THEN NULL\x3B END';
