"""Figures for the back office: SQL aggregates bounded by date, and the daily rollup that
keeps them fast on a large order table (see rollup.py for why it is built the way it is)."""
