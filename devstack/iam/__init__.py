"""IAM per function at the local AWS's boundary: each function's calls authorized against its role as SAM expands it."""
