-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "clusters" (
    "id" SERIAL NOT NULL,
    "context" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "clusters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "apps" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "repo_url" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "apps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commits" (
    "id" BIGSERIAL NOT NULL,
    "app_id" INTEGER NOT NULL,
    "sha" TEXT NOT NULL,
    "branch" TEXT,
    "author" TEXT,
    "author_email" TEXT,
    "message" TEXT,
    "url" TEXT,
    "committed_at" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "stages" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "commits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resources" (
    "id" BIGSERIAL NOT NULL,
    "system" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL,
    "uid" TEXT NOT NULL,
    "resource_version" TEXT,
    "object" JSONB NOT NULL,
    "stage" TEXT,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "reason" TEXT,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "revision" TEXT,
    "digests" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "manifests_revision" TEXT,
    "app_name" TEXT,
    "environment" TEXT,
    "commit_id" BIGINT,
    "deleted_at" TIMESTAMP(3),
    "observed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transitions" (
    "id" BIGSERIAL NOT NULL,
    "resource_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "links" (
    "id" BIGSERIAL NOT NULL,
    "from_type" TEXT NOT NULL,
    "from_id" BIGINT NOT NULL,
    "to_type" TEXT NOT NULL,
    "to_id" BIGINT NOT NULL,
    "rule" TEXT NOT NULL,
    "evidence" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "artifacts" (
    "id" BIGSERIAL NOT NULL,
    "registry" TEXT NOT NULL DEFAULT '',
    "project" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "pushed_at" TIMESTAMP(3),
    "scan_status" TEXT,
    "severity" TEXT,
    "scan_summary" JSONB,
    "scanner" TEXT,
    "revision" TEXT,
    "commit_id" BIGINT,
    "deleted_at" TIMESTAMP(3),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "artifacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "gates" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "commit_id" BIGINT,
    "environment" TEXT,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uid" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "min_approvals" INTEGER NOT NULL DEFAULT 1,
    "approvers" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "author_may_decide" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),
    "decided_at" TIMESTAMP(3),
    "applied_at" TIMESTAMP(3),

    CONSTRAINT "gates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "decisions" (
    "id" BIGSERIAL NOT NULL,
    "gate_id" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "comment" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "actions" (
    "id" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "actor" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "reason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'accepted',
    "result" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "actions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "outcome" TEXT NOT NULL,
    "details" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "email_verified" TIMESTAMP(3),
    "image" TEXT,
    "roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "session_token" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3),
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "clusters_context_key" ON "clusters"("context");

-- CreateIndex
CREATE UNIQUE INDEX "apps_name_key" ON "apps"("name");

-- CreateIndex
CREATE UNIQUE INDEX "apps_repo_url_key" ON "apps"("repo_url");

-- CreateIndex
CREATE INDEX "commits_sha_idx" ON "commits"("sha");

-- CreateIndex
CREATE INDEX "commits_app_id_committed_at_id_idx" ON "commits"("app_id", "committed_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "commits_committed_at_id_idx" ON "commits"("committed_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "commits_app_id_sha_key" ON "commits"("app_id", "sha");

-- CreateIndex
CREATE INDEX "resources_cluster_kind_namespace_name_idx" ON "resources"("cluster", "kind", "namespace", "name");

-- CreateIndex
CREATE INDEX "resources_revision_idx" ON "resources"("revision");

-- CreateIndex
CREATE INDEX "resources_digests_idx" ON "resources" USING GIN ("digests");

-- CreateIndex
CREATE INDEX "resources_manifests_revision_idx" ON "resources"("manifests_revision");

-- CreateIndex
CREATE INDEX "resources_commit_id_idx" ON "resources"("commit_id");

-- CreateIndex
CREATE UNIQUE INDEX "resources_cluster_uid_key" ON "resources"("cluster", "uid");

-- CreateIndex
CREATE INDEX "transitions_resource_id_at_idx" ON "transitions"("resource_id", "at");

-- CreateIndex
CREATE INDEX "links_to_type_to_id_idx" ON "links"("to_type", "to_id");

-- CreateIndex
CREATE UNIQUE INDEX "links_from_type_from_id_to_type_to_id_key" ON "links"("from_type", "from_id", "to_type", "to_id");

-- CreateIndex
CREATE INDEX "artifacts_digest_idx" ON "artifacts"("digest");

-- CreateIndex
CREATE INDEX "artifacts_commit_id_idx" ON "artifacts"("commit_id");

-- CreateIndex
CREATE UNIQUE INDEX "artifacts_repository_digest_key" ON "artifacts"("repository", "digest");

-- CreateIndex
CREATE INDEX "gates_status_created_at_idx" ON "gates"("status", "created_at");

-- CreateIndex
CREATE INDEX "gates_commit_id_idx" ON "gates"("commit_id");

-- CreateIndex
CREATE UNIQUE INDEX "gates_cluster_uid_key" ON "gates"("cluster", "uid");

-- CreateIndex
CREATE UNIQUE INDEX "decisions_gate_id_user_key" ON "decisions"("gate_id", "user");

-- CreateIndex
CREATE UNIQUE INDEX "actions_idempotency_key_key" ON "actions"("idempotency_key");

-- CreateIndex
CREATE INDEX "actions_cluster_namespace_kind_name_idx" ON "actions"("cluster", "namespace", "kind", "name");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_actor_at_idx" ON "audit_log"("actor", "at");

-- CreateIndex
CREATE INDEX "audit_log_action_at_idx" ON "audit_log"("action", "at");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_provider_provider_account_id_key" ON "accounts"("provider", "provider_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_session_token_key" ON "sessions"("session_token");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_token_key" ON "verification_tokens"("token");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_identifier_token_key" ON "verification_tokens"("identifier", "token");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens"("hash");

-- AddForeignKey
ALTER TABLE "commits" ADD CONSTRAINT "commits_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transitions" ADD CONSTRAINT "transitions_resource_id_fkey" FOREIGN KEY ("resource_id") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_gate_id_fkey" FOREIGN KEY ("gate_id") REFERENCES "gates"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

