"""The ledger: contribution lifecycle, loading datasets and scenarios into the store."""
