"""The services of one careerkg process, built once: model, stores, linker, pipeline, QA.

Both the CLI and the HTTP app open a :class:`Runtime`; nothing is loaded per request.
"""

from __future__ import annotations

import logging
from functools import cached_property

from careerkg.settings import Settings, apply_offline_env

log = logging.getLogger("careerkg")


class Runtime:
    """Everything a careerkg process needs, opened from settings."""

    def __init__(self, settings: Settings) -> None:
        apply_offline_env()
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)

    @cached_property
    def embedder(self):
        from careerkg.ingest.embed import Embedder

        return Embedder(self.settings.embed_model, self.settings.embed_batch_size,
                        cache_size=self.settings.question_cache)

    @cached_property
    def index(self):
        from careerkg.ingest.index import ChromaIndex

        return ChromaIndex(self.embedder, path=self.settings.chroma_dir, url=self.settings.chroma_url)

    @cached_property
    def graph(self):
        if self.settings.sparql_endpoint:
            from careerkg.graph.remote import SparqlHttpStore

            return SparqlHttpStore(self.settings.sparql_endpoint, self.settings.sparql_update_endpoint,
                                   timeout=self.settings.sparql_timeout)
        from careerkg.graph.store import OxigraphStore

        return OxigraphStore(self.settings.graph_dir)

    @cached_property
    def gazetteer(self):
        from careerkg.graph.gazetteer import load_gazetteer

        return load_gazetteer()

    @cached_property
    def linker(self):
        from careerkg.graph.linker import EntityLinker

        return EntityLinker(self.gazetteer)

    @cached_property
    def extractor(self):
        from careerkg.ingest.extract import Extractor

        return Extractor(self.linker)

    @cached_property
    def pipeline(self):
        from careerkg.ingest.pipeline import Pipeline

        return Pipeline(self.settings, self.index, self.graph, self.embedder, self.extractor, list(self.gazetteer))

    @cached_property
    def network(self):
        from careerkg.graph.network import KnowledgeNetwork

        return KnowledgeNetwork(self.graph)

    @cached_property
    def qa(self):
        from careerkg.qa.service import QAService

        return QAService(self.settings, self.pipeline, self.linker, self.graph, self.index, self.embedder)
