"""The HTTP edge: FastAPI app factory, dependencies and the JSON API routes."""
