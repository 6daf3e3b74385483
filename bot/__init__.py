"""A harm-reduction information service that answers only from a curated CDC and SAMHSA corpus."""

__version__ = "0.1.0"
