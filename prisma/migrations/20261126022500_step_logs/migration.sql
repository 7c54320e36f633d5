-- CreateTable
CREATE TABLE "step_logs" (
    "id" BIGSERIAL NOT NULL,
    "cluster" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "pod" TEXT NOT NULL,
    "container" TEXT NOT NULL,
    "resource_uid" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "tail" TEXT NOT NULL,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "captured_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "step_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "step_logs_cluster_namespace_pod_container_key" ON "step_logs"("cluster", "namespace", "pod", "container");
