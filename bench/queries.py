"""The researcher queries, kept in :mod:`careerkg.graph.queries` (one copy, shared with the SPARQL editor)."""

from careerkg.graph.queries import *  # noqa: F401,F403
from careerkg.graph.queries import QUERIES  # noqa: F401
