"""Burden-sharing: key shares, fair shares, counted contributions, gaps and what-ifs."""

from ramstein.shares.fair import NationShare, SharesResult, compute_shares

__all__ = ["NationShare", "SharesResult", "compute_shares"]
