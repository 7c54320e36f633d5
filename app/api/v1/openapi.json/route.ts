// GET /api/v1/openapi.json: the OpenAPI 3.1 description of the whole public API. Public on
// purpose: it describes the API and holds no data.
import { route } from "@/lib/http";
import { openApiDocument } from "@/lib/openapi";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(() => openApiDocument);
