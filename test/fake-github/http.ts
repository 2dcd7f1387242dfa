/** Requests and responses as handlers see them, and GitHub's error answers. */

export interface FakeResponse {
  status: number;
  /** A JSON body, checked against the documented response schema. */
  body?: unknown;
  /** A body that is not JSON (a raw file), sent as is with the content type in `headers`. */
  text?: string;
  headers?: Record<string, string>;
}

const DOCS = "https://docs.github.com/rest";

/** An error answer with GitHub's body: `{ message, documentation_url, status }` plus any extras. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static notFound(): GitHubError {
    return new GitHubError(404, "Not Found");
  }

  static unauthorized(): GitHubError {
    return new GitHubError(401, "Bad credentials");
  }

  static forbidden(message = "Resource not accessible by integration"): GitHubError {
    return new GitHubError(403, message);
  }

  /** GitHub's 422 for a well-formed request it refuses, naming the resource, field and reason. */
  static validationFailed(resource: string, field: string, code: string, message?: string): GitHubError {
    const error: Record<string, string> = { resource, field, code };
    if (message) error.message = message;
    return new GitHubError(422, "Validation Failed", { errors: [error] });
  }

  /** GitHub's 422 for a request that does not match the endpoint's schema. */
  static invalidRequest(detail: string): GitHubError {
    return new GitHubError(422, `Invalid request.\n\n${detail}`);
  }

  toResponse(): FakeResponse {
    return {
      status: this.status,
      body: { message: this.message, documentation_url: DOCS, status: String(this.status), ...this.extra },
      headers: this.headers,
    };
  }
}

export function ok(body: unknown, headers?: Record<string, string>): FakeResponse {
  return headers ? { status: 200, body, headers } : { status: 200, body };
}

export function created(body: unknown): FakeResponse {
  return { status: 201, body };
}
