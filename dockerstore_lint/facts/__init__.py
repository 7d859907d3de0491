"""Questions rules ask about a service's container, answered from the model and the knowledge base.

Rules call these instead of re-deriving the same facts: which image a service really runs (the registry
image its Dockerfile builds FROM, when it builds one), what that image declares as VOLUME and keeps at a
path, where it keeps state, who its process runs as, and which mount holds a path.
"""
