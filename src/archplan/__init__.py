"""archplan: price, check, generate and document a Google Cloud architecture from one YAML plan."""

__version__ = "0.1.0"
