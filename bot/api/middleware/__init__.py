"""The HTTP edge as plain ASGI middleware, one per module (outermost first).

- `cors.ApiCors`: CORS for the browser-facing JSON endpoints only.
- `edge.EdgeMiddleware`: request id, JSON access log without addresses or text, metrics, security headers.
- `guard.GuardMiddleware`: body cap (413), JSON content type (415), per-client rate limit (429), and bounded
  concurrency on `/v1/ask` (503), each refusal fast and with `Retry-After` where waiting helps.
"""
