// Read queries for apps and their newest commits (the Releases overview).
import "server-only";
import type { PrismaClient } from "./generated/client";
import { db } from "./client";

export type AppOverview = {
  name: string;
  repoUrl: string | null;
  commitCount: number;
  latest: {
    sha: string;
    branch: string | null;
    author: string | null;
    message: string | null;
    committedAt: Date | null;
    status: string;
  } | null;
};

export async function listAppOverviews(client: PrismaClient = db()): Promise<AppOverview[]> {
  const apps = await client.app.findMany({
    orderBy: { name: "asc" },
    include: {
      _count: { select: { commits: true } },
      commits: {
        orderBy: [{ committedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
        take: 1,
      },
    },
  });
  return apps.map((app) => {
    const latest = app.commits[0];
    return {
      name: app.name,
      repoUrl: app.repoUrl,
      commitCount: app._count.commits,
      latest: latest
        ? {
            sha: latest.sha,
            branch: latest.branch,
            author: latest.author,
            message: latest.message,
            committedAt: latest.committedAt,
            status: latest.status,
          }
        : null,
    };
  });
}
