/** GitHub's page-based pagination: `per_page` (at most 100) and `page`, with a `Link` header. */
import type { FakeResponse } from "./http.js";

const MAX_PER_PAGE = 100;

interface PageQuery {
  url: URL;
  query: { per_page?: number; page?: number };
}

function pageOf<T>(request: PageQuery, items: readonly T[]) {
  const perPage = Math.min(Math.max(request.query.per_page ?? 30, 1), MAX_PER_PAGE);
  const page = Math.max(request.query.page ?? 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (target: number) => {
    const url = new URL(request.url);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(target));
    return `<${url.href}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${link(page - 1)}; rel="prev"`);
  if (page < last) rels.push(`${link(page + 1)}; rel="next"`);
  if (page < last) rels.push(`${link(last)}; rel="last"`);
  if (page > 1) rels.push(`${link(1)}; rel="first"`);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length > 0 ? { link: rels.join(", ") } : undefined,
  };
}

/** One page of a list endpoint that answers with an array. */
export function paginated<T>(request: PageQuery, items: readonly T[]): FakeResponse {
  const { items: page, headers } = pageOf(request, items);
  return headers ? { status: 200, body: page, headers } : { status: 200, body: page };
}

/** One page of a list endpoint that wraps its array: `{ total_count, check_runs: [...] }`. */
export function paginatedIn<T>(
  request: PageQuery,
  items: readonly T[],
  wrap: (page: T[], totalCount: number) => object,
): FakeResponse {
  const { items: page, headers } = pageOf(request, items);
  const body = wrap(page, items.length);
  return headers ? { status: 200, body, headers } : { status: 200, body };
}
