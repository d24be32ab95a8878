"""The ALLMEP dataset: ``allmep.toml`` (the records), ``seed/`` (the article they come from), ``loader.py``."""
