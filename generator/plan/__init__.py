"""The plan's domain: its types (model), its shape (schema), its rules (validate) and its math (compute)."""
