"""Constants shared by the HTTP tests."""

API_KEY = "test-key-0c1d5e"
AUTH = {"Authorization": f"Bearer {API_KEY}"}

# a cross join that runs for minutes on the seeds
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
