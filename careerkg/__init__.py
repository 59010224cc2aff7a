"""careerkg: career guides turned into a knowledge graph and a cited question-answering service."""

__version__ = "0.1.0"
