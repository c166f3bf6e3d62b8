"""One provisioner per resource type; each creates (or finds) the resource and records its names."""
