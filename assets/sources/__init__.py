"""Declarative specs of the source systems: one place to change a source."""

from assets.sources.registry import SOURCES, get_source
from assets.sources.spec import Column, SourceSpec

__all__ = ["SOURCES", "Column", "SourceSpec", "get_source"]
