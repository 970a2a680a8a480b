"""Stocktake: an open stocktaking platform for ICT and emerging-technology initiatives."""

__version__ = "0.1.0"
