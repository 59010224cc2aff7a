"""careerkg: career guides turned into a knowledge graph and a cited question-answering service.

Its subpackages careerkg.graph, careerkg.ingest, careerkg.qa and careerkg.api live in the checkout's
top-level folders graph/, ingest/, qa/ and api/ (``package-dir`` in pyproject.toml): a wheel holds
them under careerkg/, and the editable install's finder (setuptools, on ``sys.meta_path``) maps the
names onto the folders, even when this folder is imported from the repo root. So ``__path__`` is
not extended here, and nothing in this folder imports those subpackages.
"""

__version__ = "0.1.0"
