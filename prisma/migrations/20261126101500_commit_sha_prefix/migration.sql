-- A timeline read finds its commit by a SHA prefix of 7 or more characters. As a range on sha
-- (sha >= p and sha < p || 'g') Postgres cannot estimate it without the value, so it planned the
-- read afresh on every request. As an equality on the first 7 characters it plans the prepared
-- read once per connection. The datamodel cannot express an index on an expression: it lives
-- here, and prisma/migrations' own test checks it.
CREATE INDEX "commits_sha_prefix_idx" ON "commits" (left("sha", 7));
