"""The knowledge graph: vocabulary, gazetteer and linker, RDF store, networkx projection."""
