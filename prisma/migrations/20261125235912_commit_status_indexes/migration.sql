-- CreateIndex
CREATE INDEX "commits_status_committed_at_id_idx" ON "commits"("status", "committed_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "commits_app_id_status_committed_at_id_idx" ON "commits"("app_id", "status", "committed_at" DESC, "id" DESC);

