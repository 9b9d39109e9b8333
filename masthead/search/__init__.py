"""Reader search at /search/ in each language: relevance-ranked, highlighted, filtered results
from a per-language full-text index (PostgreSQL text search in production, the database's
own matching in the embedded mode), and the OpenSearch description browsers add."""
