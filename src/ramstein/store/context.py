"""What a transaction knows about itself while it writes: one typed value per session."""

from __future__ import annotations

# The execution option that marks a connection whose transaction will write.
WRITE_OPTION = "ramstein_write"
