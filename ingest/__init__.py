"""careerkg ingest package."""
