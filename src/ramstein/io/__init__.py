"""Reading and writing Ramstein's documents: JSON formats, datasets, reports."""
